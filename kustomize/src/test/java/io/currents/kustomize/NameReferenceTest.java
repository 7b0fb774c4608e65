package io.currents.kustomize;

import static io.currents.kustomize.TestYaml.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class NameReferenceTest {

    private static Resource renamed(String yaml, String newName) {
        Resource r = new Resource(map(yaml));
        r.storePreviousId();
        r.setName(newName);
        return r;
    }

    @Test
    void podReferencesFollowARenamedConfigMap() {
        ResMap m = new ResMap();
        m.append(renamed("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\n", "cfg-abc"));
        Resource pod = new Resource(map("""
                apiVersion: v1
                kind: Pod
                metadata: {name: p}
                spec:
                  containers:
                  - name: c
                    envFrom: [{configMapRef: {name: cfg}}]
                  volumes:
                  - {name: v, configMap: {name: cfg}}
                  - {name: w, configMap: {name: other}}
                """));
        m.append(pod);
        NameReferences.fix(m, TransformerConfig.defaults());
        assertThat(TestYaml.yaml(pod.obj)).contains("name: cfg-abc").contains("name: other");
    }

    @Test
    void roleBindingSubjectsTakeTheServiceAccountsNameAndNamespace() {
        ResMap m = new ResMap();
        Resource sa = renamed("apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: sa}\n", "p-sa");
        sa.setNamespace("team");
        m.append(sa);
        Resource crb = new Resource(map("""
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRoleBinding
                metadata: {name: b}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: r}
                subjects: [{kind: ServiceAccount, name: sa}]
                """));
        m.append(crb);
        NameReferences.fix(m, TransformerConfig.defaults());
        Map<String, Object> subject = Nodes.asMap(Nodes.asList(crb.obj.get("subjects")).get(0));
        assertThat(subject).containsEntry("name", "p-sa").containsEntry("namespace", "team");
    }

    @Test
    void ambiguousReferralsFail() {
        ResMap m = new ResMap();
        Resource a = renamed("apiVersion: v1\nkind: Secret\nmetadata: {name: s}\n", "a-s");
        Resource b = renamed("apiVersion: v1\nkind: Secret\nmetadata: {name: s}\n", "b-s");
        m.append(a);
        m.append(b);
        m.append(new Resource(map("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {imagePullSecrets: [{name: s}]}\n")));
        assertThatThrownBy(() -> NameReferences.fix(m, TransformerConfig.defaults()))
                .hasMessageContaining("found multiple possible referrals");
    }
}
