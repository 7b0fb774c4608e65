/** Wiring of the operator runtime every controller shares: leader election and the informer store without managed fields. */
package io.currents.runtime.operator;
