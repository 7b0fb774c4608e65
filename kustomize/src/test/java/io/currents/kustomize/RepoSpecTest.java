package io.currents.kustomize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Remote base URLs split into the repository to clone, the kustomization root inside it and the query
 * parameters exactly as kustomize v5.5 splits them ({@code ?ref=}, {@code //subdir}, {@code .git},
 * Azure's {@code _git/}, {@code git::}, scp-like and {@code file://} forms), and what is not a Git URL
 * stays a local path.
 */
class RepoSpecTest {

    @Test
    void everyHostFormCombinesWithEveryRepositoryPathRootAndRef() {
        String[][] hosts = {
            {"gitHub.com/", "https://github.com/"},
            {"github.com:", "https://github.com/"},
            {"http://github.com/", "https://github.com/"},
            {"https://github.com/", "https://github.com/"},
            {"hTTps://github.com/", "https://github.com/"},
            {"https://git-codecommit.us-east-2.amazonaws.com/", "https://git-codecommit.us-east-2.amazonaws.com/"},
            {"https://fabrikops2.visualstudio.com/", "https://fabrikops2.visualstudio.com/"},
            {"ssh://git.example.com:7999/", "ssh://git.example.com:7999/"},
            {"git::https://gitlab.com/", "https://gitlab.com/"},
            {"git::http://git.example.com/", "http://git.example.com/"},
            {"git::https://git.example.com/", "https://git.example.com/"},
            {"git@github.com:", "git@github.com:"},
            {"git@github.com/", "git@github.com:"},
            {"git::git@github.com:", "git@github.com:"},
            {"org-12345@github.com:", "org-12345@github.com:"},
            {"org-12345@github.com/", "org-12345@github.com:"},
        };
        List<String> failures = new ArrayList<>();
        int checked = 0;
        for (String[] host : hosts) {
            for (String repo : List.of("someOrg/someRepo", "kubernetes/website")) {
                for (String root : List.of("README.md", "foo/krusty.txt", "")) {
                    for (String ref : List.of("group/version", "someBranch", "master", "v0.1.0", "")) {
                        String url = host[0] + repo + (root.isEmpty() ? "" : "/" + root) + (ref.isEmpty() ? "" : "?ref=" + ref);
                        RepoSpec rs = RepoSpec.parse(url);
                        checked++;
                        if (rs == null || !rs.host().equals(host[1]) || !rs.repoPath().equals(repo)
                                || !rs.kustRootPath().equals(root) || !rs.ref().equals(ref)) {
                            failures.add(url + " -> " + rs);
                        }
                    }
                }
            }
        }
        assertThat(checked).isEqualTo(16 * 2 * 3 * 5);
        assertThat(failures).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
        https://git-codecommit.us-east-2.amazonaws.com/someorg/somerepo/somedir?ref=testbranch | https://git-codecommit.us-east-2.amazonaws.com/ | someorg/somerepo | somedir | testbranch
        https://fabrikops2.visualstudio.com/someorg/somerepo?ref=master | https://fabrikops2.visualstudio.com/ | someorg/somerepo | '' | master
        http://github.com/someorg/somerepo/somedir | https://github.com/ | someorg/somerepo | somedir | ''
        git@github.com:someorg/somerepo/somedir | git@github.com: | someorg/somerepo | somedir | ''
        http://github.com/someorg/somerepo.git/somedir | https://github.com/ | someorg/somerepo.git | somedir | ''
        git@gitlab2.sqtools.ru:infra/kubernetes/thanos-base.git?ref=v0.1.0 | git@gitlab2.sqtools.ru: | infra/kubernetes/thanos-base.git | '' | v0.1.0
        git@bitbucket.org:company/project.git//path?ref=branch | git@bitbucket.org: | company/project.git | path | branch
        git@bitbucket.org/company/project.git//path?ref=branch | git@bitbucket.org/ | company/project.git | path | branch
        ssh://git@bitbucket.org/company/project.git//path?ref=branch | ssh://git@bitbucket.org/ | company/project.git | path | branch
        https://itfs.mycompany.com/collection/project/_git/somerepos | https://itfs.mycompany.com/ | collection/project/_git/somerepos | '' | ''
        https://itfs.mycompany.com/collection/project/_git/somerepos?version=v1.0.0 | https://itfs.mycompany.com/ | collection/project/_git/somerepos | '' | v1.0.0
        https://itfs.mycompany.com/collection/project/_git/somerepos/somedir?version=v1.0.0 | https://itfs.mycompany.com/ | collection/project/_git/somerepos | somedir | v1.0.0
        git::https://itfs.mycompany.com/collection/project/_git/somerepos | https://itfs.mycompany.com/ | collection/project/_git/somerepos | '' | ''
        https://username@dev.azure.com/org/project/_git/repo//path/to/kustomization/root | https://username@dev.azure.com/ | org/project/_git/repo | path/to/kustomization/root | ''
        https://org.visualstudio.com/project/_git/repo/path/to/kustomization/root | https://org.visualstudio.com/ | project/_git/repo | path/to/kustomization/root | ''
        https://bitbucket.example.com/scm/project/repository.git | https://bitbucket.example.com/ | scm/project/repository.git | '' | ''
        ssh://git-codecommit.us-east-2.amazonaws.com/someorg/somerepo/somepath | ssh://git-codecommit.us-east-2.amazonaws.com/ | someorg/somerepo | somepath | ''
        git@github.com/someorg/somerepo/somepath | git@github.com: | someorg/somerepo | somepath | ''
        https://github.com/kubernetes-sigs/kustomize//examples/multibases/dev/?ref=v1.0.6 | https://github.com/ | kubernetes-sigs/kustomize | examples/multibases/dev/ | v1.0.6
        ssh://git@github.com/kubernetes-sigs/kustomize//examples/multibases/dev?ref=v1.0.6 | git@github.com: | kubernetes-sigs/kustomize | examples/multibases/dev | v1.0.6
        ssh://org-12345@github.com/kubernetes-sigs/kustomize | org-12345@github.com: | kubernetes-sigs/kustomize | '' | ''
        file://a/b/c/someRepo.git/somepath?ref=someBranch | file:// | a/b/c/someRepo.git | somepath | someBranch
        file://a/b/c/someRepo//somepath?ref=someBranch | file:// | a/b/c/someRepo | somepath | someBranch
        file:///a/b/c/someRepo?ref=someBranch | file:// | /a/b/c/someRepo | '' | someBranch
        file:///a/b/c/someRepo | file:// | /a/b/c/someRepo | '' | ''
        file:/// | file:// | / | '' | ''
        file://git@home/path/to/repository.git//path?ref=branch | file:// | git@home/path/to/repository.git | path | branch
        https://example.org/path/to/repo//examples/multibases/dev | https://example.org/ | path/to/repo | examples/multibases/dev | ''
        https://example.org/path/to/repo.git/examples/multibases/dev | https://example.org/ | path/to/repo.git | examples/multibases/dev | ''
        ssh://alice@example.com/path/to/repo//examples/multibases/dev | ssh://alice@example.com/ | path/to/repo | examples/multibases/dev | ''
        https://authority/org/repo?ref=group/version | https://authority/ | org/repo | '' | group/version
        https://authority/org/repo/?ref=includes_git/for_some_reason | https://authority/ | org/repo | '' | includes_git/for_some_reason
        https://authority/org/repo/?ref=includes.git/for_some_reason | https://authority/ | org/repo | '' | includes.git/for_some_reason
        https://authority/org/repo/%-invalid-uri-so-not-parsable-by-net/url.Parse | https://authority/ | org/repo | %-invalid-uri-so-not-parsable-by-net/url.Parse | ''
        ssh://myusername@bitbucket.org/ourteamname/ourrepositoryname.git//path?ref=branch | ssh://myusername@bitbucket.org/ | ourteamname/ourrepositoryname.git | path | branch
        http://git@home.com/path/to/repository.git//path?ref=branch | http://git@home.com/ | path/to/repository.git | path | branch
        ssh://git@ssh.github.com:443/YOUR-USERNAME/YOUR-REPOSITORY.git | ssh://git@ssh.github.com:443/ | YOUR-USERNAME/YOUR-REPOSITORY.git | '' | ''
        git@gitlab.com/user:name/YOUR-REPOSITORY.git/path | git@gitlab.com/ | user:name/YOUR-REPOSITORY.git | path | ''
        git@gitlab.com:gitlab-tests/sample-project | git@gitlab.com: | gitlab-tests/sample-project | '' | ''
        git@gist.github.com:bc7947cb727d7f9217e7862d961a1ffd.git | git@gist.github.com: | bc7947cb727d7f9217e7862d961a1ffd.git | '' | ''
        https://gist.github.com/bc7947cb727d7f9217e7862d961a1ffd.git | https://gist.github.com/ | bc7947cb727d7f9217e7862d961a1ffd.git | '' | ''
        https://host/org/repo?version=master&ref=v1.0.0 | https://host/ | org/repo | '' | v1.0.0
        """)
    void splitsAUrlAsKustomizeDoes(String url, String host, String repoPath, String root, String ref) {
        RepoSpec rs = RepoSpec.parse(url);
        assertThat(rs).as(url).isNotNull();
        assertThat(rs.host()).isEqualTo(host);
        assertThat(rs.repoPath()).isEqualTo(repoPath);
        assertThat(rs.kustRootPath()).isEqualTo(root);
        assertThat(rs.ref()).isEqualTo(ref);
        assertThat(rs.cloneUrl()).isEqualTo(host + repoPath);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        /tmp
        ../../tmp
        src/github.com/org/repo/path
        iauhsdiuashduas
        htxxxtp://github.com/
        ssh://git.example.com
        git::___
        https://host?ref=group/version/minor_version
        github.com!org/repo.git//path
        gh:org/repo
        https://github.com/thisisa404.yaml
        file:////tmp//path/to/whatever
        git@scp://github.com/org/repo.git//path
        git@ssh://github.com/org/repo.git//path
        """)
    void whatIsNotAGitUrlIsALocalPath(String path) {
        assertThat(RepoSpec.parse(path)).isNull();
    }

    @Test
    void aRootThatLeavesTheRepositoryIsRefused() {
        assertThatThrownBy(() -> RepoSpec.parse("https://github.com/org/repo.git//path/../../exits/repo"))
                .isInstanceOf(KustomizeException.class).hasMessageContaining("url path exits repo");
    }

    @Test
    void queryParametersSetTimeoutAndSubmodulesWithGoSyntax() {
        RepoSpec defaults = RepoSpec.parse("https://github.com/org/repo");
        assertThat(defaults.timeout()).isEqualTo(RemoteResources.DEFAULT_CLONE_TIMEOUT);
        assertThat(defaults.submodules()).isTrue();
        RepoSpec set = RepoSpec.parse("https://github.com/org/repo?timeout=1m30s&submodules=0");
        assertThat(set.timeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(set.submodules()).isFalse();
        assertThat(RepoSpec.parse("https://github.com/org/repo?timeout=61").timeout()).isEqualTo(Duration.ofSeconds(61));
        // values Go cannot parse leave the defaults
        RepoSpec bad = RepoSpec.parse("https://github.com/org/repo?timeout=soon&submodules=maybe");
        assertThat(bad.timeout()).isEqualTo(RemoteResources.DEFAULT_CLONE_TIMEOUT);
        assertThat(bad.submodules()).isTrue();
    }
}
