package io.currents.runtime.substitute;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EnvsubstTest {

    private static final Map<String, String> VARS = Map.of("name", "Hello", "empty", "", "path", "a/b/c.tar.gz");

    private static String strict(String text) {
        return Envsubst.eval(text, n -> Optional.ofNullable(VARS.get(n)));
    }

    private static String lenient(String text) {
        Function<String, Optional<String>> lookup = n -> Optional.of(VARS.getOrDefault(n, ""));
        return Envsubst.eval(text, lookup);
    }

    @Test
    void bracedVariablesAreReplaced() {
        assertThat(strict("say ${name} twice ${name}")).isEqualTo("say Hello twice Hello");
    }

    @Test
    void unbracedVariablesAreLeftForShellScripts() {
        assertThat(strict("echo $name $1 $")).isEqualTo("echo $name $1 $");
    }

    @Test
    void defaultsApplyWhenUnsetOrEmpty() {
        assertThat(strict("${missing:=fallback}")).isEqualTo("fallback");
        assertThat(strict("${missing:-fallback}")).isEqualTo("fallback");
        assertThat(strict("${missing=fallback}")).isEqualTo("fallback");
        assertThat(strict("${empty:-fallback}")).isEqualTo("fallback");
        assertThat(strict("${name:-fallback}")).isEqualTo("Hello");
        assertThat(strict("${missing:=}")).isEmpty();
    }

    @Test
    void defaultsMayContainVariablesAndSpaces() {
        assertThat(strict("${missing:=${name} world}")).isEqualTo("Hello world");
    }

    @Test
    void doubleDollarEscapesAnExpression() {
        assertThat(strict("$${escape} and $${name}")).isEqualTo("${escape} and ${name}");
        assertThat(strict("cost: $$5")).isEqualTo("cost: $5");
    }

    @Test
    void strictModeNamesTheUndefinedVariable() {
        assertThatThrownBy(() -> strict("x: ${undefined}"))
                .isInstanceOf(SubstitutionException.class)
                .hasMessage("variable not set (strict mode): \"undefined\"");
    }

    @Test
    void lenientModeReplacesUndefinedWithEmpty() {
        assertThat(lenient("x: '${undefined}'")).isEqualTo("x: ''");
    }

    @Test
    void stringFunctionsWorkAsInBash() {
        assertThat(strict("${name,,}")).isEqualTo("hello");
        assertThat(strict("${name^^}")).isEqualTo("HELLO");
        assertThat(strict("${name,}")).isEqualTo("hello");
        assertThat(strict("${#name}")).isEqualTo("5");
        assertThat(strict("${name:1}")).isEqualTo("ello");
        assertThat(strict("${name:1:2}")).isEqualTo("el");
        assertThat(strict("${path#*/}")).isEqualTo("b/c.tar.gz");
        assertThat(strict("${path##*/}")).isEqualTo("c.tar.gz");
        assertThat(strict("${path%.*}")).isEqualTo("a/b/c.tar");
        assertThat(strict("${path%%.*}")).isEqualTo("a/b/c");
        assertThat(strict("${path/\\//-}")).isEqualTo("a-b/c.tar.gz");
        assertThat(strict("${path//\\//-}")).isEqualTo("a-b-c.tar.gz");
        assertThat(strict("${name/#He/Je}")).isEqualTo("Jello");
        assertThat(strict("${name/%lo/p}")).isEqualTo("Help");
    }

    @Test
    void malformedExpressionsAreErrors() {
        assertThatThrownBy(() -> strict("${name")).isInstanceOf(SubstitutionException.class);
        assertThatThrownBy(() -> strict("${}")).hasMessage("unable to parse variable name");
        assertThatThrownBy(() -> strict("${name-default}")).hasMessage("missing closing brace");
    }
}
