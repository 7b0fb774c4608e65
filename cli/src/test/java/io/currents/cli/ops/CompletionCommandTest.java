package io.currents.cli.ops;

import io.currents.testkit.TestTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code completion <shell>}: the scripts load in the real shells and complete subcommands and flags. */
class CompletionCommandTest {

    @TempDir
    Path dir;

    private Path script(String shell) throws IOException {
        Cli.Run r = Cli.run("completion", shell);
        assertThat(r.code()).as(r.toString()).isZero();
        Path file = dir.resolve("currents." + shell);
        Files.writeString(file, r.out());
        return file;
    }

    private static String shell(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(output).isZero();
        return output;
    }

    @Test
    void bashCompletesSubcommandsAndFlags() throws Exception {
        Path file = script("bash");
        String words = shell("bash", "-c", """
                source %s
                complete_line() {
                  COMP_LINE="$1"; COMP_POINT=${#COMP_LINE}; read -ra COMP_WORDS <<< "$1"
                  [[ "$1" == *" " ]] && COMP_WORDS+=("")
                  COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 )); COMPREPLY=()
                  $(complete -p currents | sed -E 's/.*-F ([^ ]+).*/\\1/') currents "${COMP_WORDS[$COMP_CWORD]}" "${COMP_WORDS[$COMP_CWORD-1]}" 2>/dev/null
                  echo "$1 => ${COMPREPLY[*]}"
                }
                complete_line "currents del"
                complete_line "currents get sources "
                complete_line "currents delete ks apps --si"
                """.formatted(file));
        assertThat(words).contains("currents del => delete\n");
        assertThat(words).containsPattern("currents get sources +=> .*\\bgit\\b.*\\bhelm\\b");
        assertThat(words).contains("currents delete ks apps --si => --silent\n");
    }

    @Test
    void fishCompletesSubcommandsAndFlags() throws Exception {
        String fish = TestTools.require(TestTools.Tool.FISH).toString();
        Path file = script("fish");
        String words = shell(fish, "--no-config", "-c", "source " + file + "; complete -C 'currents del'; echo ---;"
                + " complete -C 'currents get sources '; echo ---; complete -C 'currents -n x delete ks apps --si'");
        String[] parts = words.split("---\n");
        assertThat(parts[0]).startsWith("delete\tDelete Flux objects");
        assertThat(parts[1]).contains("git\tPrint the status of GitRepository sources.").contains("all\t");
        assertThat(parts[2]).isEqualTo("--silent\tDelete the object without asking for confirmation.\n");
    }

    @Test
    void zshLoadsTheScript() throws Exception {
        String zsh = TestTools.require(TestTools.Tool.ZSH).toString();
        Path file = script("zsh");
        String out = shell(zsh, "-f", "-c", "source " + file + " && complete -p currents");
        assertThat(out).contains("currents");
    }

    @Test
    void powershellScriptRegistersACompleterWithTheTree() throws Exception {
        String text = Files.readString(script("powershell"));
        assertThat(text).contains("Register-ArgumentCompleter -Native -CommandName currents");
        assertThat(text).contains("    'get sources' = @(@('git', 'Print the status of GitRepository sources.')");
        assertThat(text).contains("@('--silent', 'Delete the object without asking for confirmation.')");
        // every command path of the tree has an entry
        assertThat(text).contains("    'delete source git' = @(").contains("    'delete ks' = @(").contains("    '' = @(@('");
    }
}
