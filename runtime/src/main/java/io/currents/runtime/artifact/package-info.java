/** Artifacts as consumers see them: download with digest check and retries, and safe unpacking of tar.gz archives. */
package io.currents.runtime.artifact;
