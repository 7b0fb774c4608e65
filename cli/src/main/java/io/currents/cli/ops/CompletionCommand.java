package io.currents.cli.ops;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code currents completion bash|zsh|fish|powershell}: prints a completion script for the shell, generated from
 * the command tree (subcommands and flags at every level), to be sourced as flux's are:
 * {@code . <(currents completion bash)}, {@code currents completion fish | source},
 * {@code currents completion powershell | Out-String | Invoke-Expression}.
 */
@Command
public final class CompletionCommand implements Callable<Integer> {

    /** The shells there is a script for. */
    public enum Shell { BASH, ZSH, FISH, POWERSHELL }

    @CommandLine.Spec
    CommandSpec spec;

    private final Shell shell;

    public CompletionCommand(Shell shell) {
        this.shell = shell;
    }

    @Override
    public Integer call() {
        CommandLine root = spec.root().commandLine();
        String name = spec.root().name();
        String script = switch (shell) {
            // picocli's bash script also runs in zsh: it loads bashcompinit there itself
            case BASH, ZSH -> AutoComplete.bash(name, root);
            case FISH -> fish(name, tree(root));
            case POWERSHELL -> powershell(name, tree(root));
        };
        spec.commandLine().getOut().print(script.endsWith("\n") ? script : script + "\n");
        spec.commandLine().getOut().flush();
        return 0;
    }

    /** One command of the tree: its path of words from the root, its subcommands and its options. */
    record Node(String path, Map<String, String> subcommands, List<OptionSpec> options) {
    }

    static List<Node> tree(CommandLine root) {
        List<Node> nodes = new ArrayList<>();
        walk(root, "", new IdentityHashMap<>(), nodes);
        return nodes;
    }

    private static void walk(CommandLine cl, String path, Map<CommandLine, Boolean> seen, List<Node> nodes) {
        if (seen.put(cl, true) != null) {
            return;
        }
        Map<String, String> subs = new LinkedHashMap<>();
        List<Map.Entry<String, CommandLine>> children = new ArrayList<>();
        for (Map.Entry<String, CommandLine> e : cl.getSubcommands().entrySet()) {
            if (e.getValue().getCommandSpec().usageMessage().hidden()) {
                continue;
            }
            subs.put(e.getKey(), description(e.getValue().getCommandSpec().usageMessage().description()));
            if (e.getKey().equals(e.getValue().getCommandName())) {
                children.add(e);
            }
        }
        List<OptionSpec> options = cl.getCommandSpec().options().stream().filter(o -> !o.hidden()).toList();
        nodes.add(new Node(path, subs, options));
        for (Map.Entry<String, CommandLine> e : children) {
            walk(e.getValue(), path.isEmpty() ? e.getKey() : path + " " + e.getKey(), seen, nodes);
        }
        // aliases lead to the same node: register their paths too so that `get ks <TAB>` completes
        for (Map.Entry<String, CommandLine> e : cl.getSubcommands().entrySet()) {
            if (!e.getKey().equals(e.getValue().getCommandName()) && !e.getValue().getCommandSpec().usageMessage().hidden()) {
                String canonical = path.isEmpty() ? e.getValue().getCommandName() : path + " " + e.getValue().getCommandName();
                String alias = path.isEmpty() ? e.getKey() : path + " " + e.getKey();
                for (Node n : List.copyOf(nodes)) {
                    if (n.path().equals(canonical) || n.path().startsWith(canonical + " ")) {
                        nodes.add(new Node(alias + n.path().substring(canonical.length()), n.subcommands(), n.options()));
                    }
                }
            }
        }
    }

    private static String description(String[] lines) {
        return lines.length == 0 ? "" : lines[0];
    }

    static String fish(String name, List<Node> nodes) {
        StringBuilder s = new StringBuilder();
        s.append("# fish completion for ").append(name).append(": ").append(name).append(" completion fish | source\n");
        s.append("set -g __").append(name).append("_paths");
        for (Node n : nodes) {
            if (!n.path().isEmpty()) {
                s.append(' ').append(fishQuote(n.path()));
            }
        }
        s.append("\n\n");
        // the command path typed so far: the longest run of words that names a known command (flag values are skipped)
        s.append("function __").append(name).append("_path\n")
                .append("    set -l path ''\n")
                .append("    for word in (commandline -opc)[2..-1]\n")
                .append("        string match -q -- '-*' $word; and continue\n")
                .append("        set -l next (string trim -- \"$path $word\")\n")
                .append("        contains -- $next $__").append(name).append("_paths; and set path $next\n")
                .append("    end\n")
                .append("    echo $path\n")
                .append("end\n\n");
        s.append("function __").append(name).append("_at\n")
                .append("    test (__").append(name).append("_path) = \"$argv\"\n")
                .append("end\n\n");
        s.append("complete -c ").append(name).append(" -f\n");
        for (Node n : nodes) {
            String condition = " -n " + fishQuote("__" + name + "_at " + fishQuote(n.path()));
            for (Map.Entry<String, String> sub : n.subcommands().entrySet()) {
                s.append("complete -c ").append(name).append(condition).append(" -a ").append(fishQuote(sub.getKey()))
                        .append(" -d ").append(fishQuote(sub.getValue())).append('\n');
            }
            for (OptionSpec o : n.options()) {
                s.append("complete -c ").append(name).append(condition);
                for (String optionName : o.names()) {
                    if (optionName.startsWith("--")) {
                        s.append(" -l ").append(optionName.substring(2));
                    } else if (optionName.length() == 2) {
                        s.append(" -s ").append(optionName.substring(1));
                    }
                }
                if (o.arity().max() > 0 && !o.typeInfo().isBoolean()) {
                    s.append(" -r");
                    if (o.typeInfo().getType() == java.nio.file.Path.class || o.typeInfo().getType() == java.io.File.class) {
                        s.append(" -F");
                    }
                }
                s.append(" -d ").append(fishQuote(description(o.description()))).append('\n');
            }
        }
        return s.toString();
    }

    private static String fishQuote(String text) {
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    static String powershell(String name, List<Node> nodes) {
        StringBuilder s = new StringBuilder();
        s.append("# PowerShell completion for ").append(name).append(": ").append(name)
                .append(" completion powershell | Out-String | Invoke-Expression\n");
        s.append("$__").append(name).append("Commands = @{\n");
        for (Node n : nodes) {
            s.append("    ").append(psQuote(n.path())).append(" = @(");
            List<String> words = new ArrayList<>();
            n.subcommands().forEach((sub, text) -> words.add("@(" + psQuote(sub) + ", " + psQuote(text) + ")"));
            for (OptionSpec o : n.options()) {
                for (String optionName : o.names()) {
                    words.add("@(" + psQuote(optionName) + ", " + psQuote(description(o.description())) + ")");
                }
            }
            s.append(String.join(", ", words)).append(")\n");
        }
        s.append("}\n\n");
        s.append("Register-ArgumentCompleter -Native -CommandName ").append(name).append(" -ScriptBlock {\n")
                .append("    param($wordToComplete, $commandAst, $cursorPosition)\n")
                .append("    $path = ''\n")
                .append("    foreach ($element in $commandAst.CommandElements | Select-Object -Skip 1) {\n")
                .append("        if ($element.Extent.StartOffset -ge $cursorPosition) { break }\n")
                .append("        $word = $element.ToString()\n")
                .append("        if ($word -eq $wordToComplete -and $element.Extent.EndOffset -eq $cursorPosition) { break }\n")
                .append("        if ($word.StartsWith('-')) { continue }\n")
                .append("        $next = if ($path) { \"$path $word\" } else { $word }\n")
                .append("        if ($__").append(name).append("Commands.ContainsKey($next)) { $path = $next }\n")
                .append("    }\n")
                .append("    foreach ($candidate in $__").append(name).append("Commands[$path]) {\n")
                .append("        if ($candidate[0] -like \"$wordToComplete*\") {\n")
                .append("            $tip = if ($candidate[1]) { $candidate[1] } else { $candidate[0] }\n")
                .append("            $type = if ($candidate[0].StartsWith('-')) { 'ParameterName' } else { 'ParameterValue' }\n")
                .append("            [System.Management.Automation.CompletionResult]::new($candidate[0], $candidate[0], $type, $tip)\n")
                .append("        }\n")
                .append("    }\n")
                .append("}\n");
        return s.toString();
    }

    private static String psQuote(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    /** The {@code completion} group with one subcommand per shell. */
    static CommandLine group() {
        CommandLine group = OpsCommands.group("Print a shell completion script (bash, zsh, fish, powershell).");
        group.addSubcommand("bash", OpsCommands.command(new CompletionCommand(Shell.BASH),
                "Bash completion: . <(currents completion bash)"));
        group.addSubcommand("zsh", OpsCommands.command(new CompletionCommand(Shell.ZSH),
                "Zsh completion: . <(currents completion zsh)"));
        group.addSubcommand("fish", OpsCommands.command(new CompletionCommand(Shell.FISH),
                "Fish completion: currents completion fish | source"));
        group.addSubcommand("powershell", OpsCommands.command(new CompletionCommand(Shell.POWERSHELL),
                "PowerShell completion: currents completion powershell | Out-String | Invoke-Expression"));
        return group;
    }
}
