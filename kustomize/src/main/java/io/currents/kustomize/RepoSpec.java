package io.currents.kustomize;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A remote Git target as kustomize v5 reads one from a {@code resources}/{@code components} entry: the URL
 * to clone, the kustomization root inside it, and the {@code ref}, {@code timeout} and {@code submodules}
 * query parameters. {@link #parse} answers null for anything kustomize would not take as a Git URL (a
 * local path), which is how a build tells the two apart.
 *
 * <p>Accepted forms: {@code [git::]https://host/org/repo[.git][//dir]}, {@code http://...},
 * {@code ssh://[user@]host/org/repo[//dir]}, scp-like {@code user@host:org/repo[//dir]},
 * {@code github.com/org/repo[/dir]} (cloned over https; {@code git@github.com:} over ssh), and
 * {@code file:///path/to/repo[//dir]}. Without {@code //}, {@code .git} or Azure's {@code _git/} marking
 * where the repository ends, its path is the first two segments (org/repo), as in kustomize.
 */
record RepoSpec(String raw, String host, String repoPath, String kustRootPath, String ref, Duration timeout,
                boolean submodules) {

    private static final Pattern USER = Pattern.compile("^([a-zA-Z][a-zA-Z0-9-]*)@");
    private static final List<String> SCHEMES = List.of("ssh://", "https://", "http://", "file://");

    /** The URL handed to Git. */
    String cloneUrl() {
        return host + repoPath;
    }

    /** The ref to fetch, or {@code HEAD} when the URL names none. */
    String refOrHead() {
        return ref.isEmpty() ? "HEAD" : ref;
    }

    /** kustomize's reading of {@code n} as a Git target, or null when it is not one. */
    static RepoSpec parse(String n) {
        if (n.startsWith("/")) {
            return null;
        }
        String raw = n;
        String query = "";
        int q = n.indexOf('?');
        if (q >= 0) {
            query = n.substring(q + 1);
            n = n.substring(0, q);
        }
        Map<String, String> params = parseQuery(query);
        String ref = params.getOrDefault("version", "");
        if (!params.getOrDefault("ref", "").isEmpty()) {
            ref = params.get("ref");
        }
        Duration timeout = RemoteResources.DEFAULT_CLONE_TIMEOUT;
        String t = params.getOrDefault("timeout", "");
        if (!t.isEmpty()) {
            Duration d = parseTimeout(t);
            if (d != null) {
                timeout = d;
            }
        }
        boolean submodules = true;
        Boolean b = parseGoBool(params.getOrDefault("submodules", ""));
        if (b != null) {
            submodules = b;
        }

        // host: scheme, user name, domain
        if (n.regionMatches(true, 0, "git::", 0, 5)) {
            n = n.substring(5);
        }
        String scheme = "";
        for (String s : SCHEMES) {
            if (n.regionMatches(true, 0, s, 0, s.length())) {
                scheme = s;
                n = n.substring(s.length());
                break;
            }
        }
        String user = "";
        Matcher m = USER.matcher(n);
        if (m.find()) {
            user = m.group(1) + "@";
            n = n.substring(user.length());
        }
        String lower = n.toLowerCase(Locale.ROOT);
        boolean github = lower.startsWith("github.com/") || lower.startsWith("github.com:");
        boolean scp = scheme.isEmpty() && (!user.isEmpty() || github);
        if (scheme.isEmpty() && !scp) {
            return null;
        }
        String host;
        String rest;
        if (scheme.equals("file://")) {
            host = scheme;
            rest = user + n;
        } else {
            host = n;
            rest = "";
            int sep = n.indexOf('/');
            if (scp) {
                int colon = n.indexOf(':');
                if (sep == -1 || (colon > 0 && colon < sep)) {
                    sep = colon;
                }
            }
            if (sep >= 0) {
                host = n.substring(0, sep + 1);
                rest = n.substring(sep + 1);
            }
            if (github) {
                if (scheme.startsWith("ssh://") || !user.isEmpty()) {
                    scheme = "";
                    host = "github.com:";
                } else {
                    scheme = "https://";
                    user = "";
                    host = "github.com/";
                }
            }
            if (host.isEmpty()) {
                return null;
            }
            host = scheme + user + host;
        }

        // repository path and kustomization root inside it
        String repoPath = null;
        String kustRoot = "";
        int gitRoot = rest.indexOf("_git/");
        int slashes = rest.indexOf("//");
        int dotGit = rest.indexOf(".git");
        if (gitRoot >= 0) {
            String[] segs = rest.substring(gitRoot + 5).split("/", -1);
            repoPath = rest.substring(0, gitRoot + 5) + segs[0];
            kustRoot = String.join("/", Arrays.asList(segs).subList(1, segs.length));
        } else if (slashes >= 0) {
            repoPath = rest.substring(0, slashes);
            kustRoot = rest.substring(slashes + 2);
        } else if (dotGit >= 0) {
            repoPath = rest.substring(0, dotGit + 4);
            kustRoot = rest.substring(dotGit + 4);
        } else if (host.startsWith("file://")) {
            repoPath = rest;
        } else {
            String[] segs = rest.split("/", -1);
            if (segs.length >= 2) {
                repoPath = segs[0] + "/" + segs[1];
                kustRoot = String.join("/", Arrays.asList(segs).subList(2, segs.length));
            }
        }
        if (repoPath == null || repoPath.isEmpty()) {
            return null;
        }
        if (exitsRepo(kustRoot)) {
            throw new KustomizeException("url path exits repo: " + rest);
        }
        if (kustRoot.startsWith("/")) {
            kustRoot = kustRoot.substring(1);
        }
        return new RepoSpec(raw, host, repoPath, kustRoot, ref, timeout, submodules);
    }

    private static boolean exitsRepo(String kustRoot) {
        String p = kustRoot;
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        return java.nio.file.Path.of(p.isEmpty() ? "." : p).normalize().toString().split("/")[0].equals("..");
    }

    /** Go's url.ParseQuery then Values.Get: the first value of each key; any malformed pair gives no values. */
    private static Map<String, String> parseQuery(String query) {
        Map<String, String> out = new HashMap<>();
        if (query.isEmpty()) {
            return out;
        }
        for (String pair : query.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            if (pair.contains(";")) {
                return new HashMap<>();
            }
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            try {
                k = URLDecoder.decode(k, StandardCharsets.UTF_8);
                v = URLDecoder.decode(v, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return new HashMap<>();
            }
            out.putIfAbsent(k, v);
        }
        return out;
    }

    private static final Pattern GO_DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|μs|ms|s|m|h)");

    /** kustomize's timeout parameter: whole seconds ("61") or a Go duration ("1m30s"); null if neither or not positive. */
    static Duration parseTimeout(String v) {
        if (v.matches("[+-]?\\d+")) {
            try {
                long secs = Long.parseLong(v);
                return secs > 0 ? Duration.ofSeconds(secs) : null;
            } catch (NumberFormatException e) {
                return null;
            }
        }
        String s = v.startsWith("+") ? v.substring(1) : v;
        if (s.isEmpty() || s.startsWith("-")) {
            return null;
        }
        Matcher m = GO_DURATION_PART.matcher(s);
        int at = 0;
        double nanos = 0;
        while (at < s.length()) {
            if (!m.find(at) || m.start() != at) {
                return null;
            }
            double x = Double.parseDouble(m.group(1));
            nanos += x * switch (m.group(2)) {
                case "ns" -> 1d;
                case "us", "µs", "μs" -> 1e3;
                case "ms" -> 1e6;
                case "s" -> 1e9;
                case "m" -> 60e9;
                default -> 3600e9;
            };
            at = m.end();
        }
        long n = (long) nanos;
        return n > 0 ? Duration.ofNanos(n) : null;
    }

    private static Boolean parseGoBool(String v) {
        return switch (v) {
            case "1", "t", "T", "TRUE", "true", "True" -> Boolean.TRUE;
            case "0", "f", "F", "FALSE", "false", "False" -> Boolean.FALSE;
            default -> null;
        };
    }
}
