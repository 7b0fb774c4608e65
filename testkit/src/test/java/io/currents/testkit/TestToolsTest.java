package io.currents.testkit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** On CI every test tool is present: a test skipped for a missing kubectl, age, git, sshd or registry fails the run there. */
class TestToolsTest {

    @ParameterizedTest(name = "{0}")
    @EnumSource(TestTools.Tool.class)
    void everyTestToolIsInstalledWhereToolsAreRequired(TestTools.Tool tool) {
        Path path = TestTools.require(tool);
        assertThat(path).isExecutable();
    }

    @Test
    void aMissingToolSkipsOnADevelopersMachineAndFailsOnCi() {
        assertThatThrownBy(() -> TestTools.require(TestTools.Tool.AGE, Optional.empty(), false))
                .isInstanceOf(TestAbortedException.class).hasMessageContaining("age is not installed");
        assertThatThrownBy(() -> TestTools.require(TestTools.Tool.AGE, Optional.empty(), true))
                .isInstanceOf(AssertionFailedError.class).hasMessageContaining("on CI a missing test tool fails the run");
        assertThat(TestTools.require(TestTools.Tool.AGE, Optional.of(Path.of("/x/age")), true)).isEqualTo(Path.of("/x/age"));
    }
}
