package io.currents.api.crd;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.currents.api.helm.v2.HelmRelease;
import io.currents.api.image.v1.ImagePolicy;
import io.currents.api.image.v1.ImageRepository;
import io.currents.api.image.v1.ImageUpdateAutomation;
import io.currents.api.kustomize.v1.Kustomization;
import io.currents.api.meta.DateTime;
import io.currents.api.meta.ListMap;
import io.currents.api.meta.OneOf;
import io.currents.api.notification.v1.Receiver;
import io.currents.api.notification.v1beta3.Alert;
import io.currents.api.notification.v1beta3.Provider;
import io.currents.api.source.extensions.v1beta1.ArtifactGenerator;
import io.currents.api.source.v1.Bucket;
import io.currents.api.source.v1.ExternalArtifact;
import io.currents.api.source.v1.GitRepository;
import io.currents.api.source.v1.HelmChart;
import io.currents.api.source.v1.HelmRepository;
import io.currents.api.source.v1.OCIRepository;
import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.CustomResource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.ParameterizedType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Generates the CRD manifests of {@code manifests/crds/} from the API types with fabric8's
 * crd-generator, one file {@code <plural>.<group>.yaml} per kind. Run {@link #main} (or the
 * {@code CrdFilesAreUpToDateTest} with {@code -Dcurrents.crds.write=true}) to rewrite them.
 */
public final class CrdFiles {

    /** Every kind of the Flux APIs Currents serves. */
    public static final List<Class<? extends CustomResource<?, ?>>> KINDS = List.of(
            GitRepository.class, OCIRepository.class, HelmRepository.class, HelmChart.class, Bucket.class, ExternalArtifact.class,
            ArtifactGenerator.class,
            Kustomization.class, HelmRelease.class,
            Receiver.class, Alert.class, Provider.class,
            ImageRepository.class, ImagePolicy.class, ImageUpdateAutomation.class);

    /** The command that regenerates the checked-in files. */
    public static final String REGENERATE_COMMAND =
            "./mvnw -pl api -am install -DskipTests && ./mvnw -pl api test -Dtest=CrdFilesAreUpToDateTest -Dcurrents.crds.write=true";

    private static final String HEADER = "# Generated from the io.currents.api types by CrdFiles; do not edit.\n"
            + "# Regenerate: " + REGENERATE_COMMAND + "\n";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private CrdFiles() {
    }

    public static void main(String[] args) {
        Path dir = args.length > 0 ? Path.of(args[0]) : Path.of("manifests", "crds");
        write(dir);
    }

    /** Writes every CRD file into {@code dir}. */
    public static void write(Path dir) {
        try {
            Files.createDirectories(dir);
            for (var e : generate().entrySet()) {
                Files.writeString(dir.resolve(e.getKey()), e.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** File name to YAML content of every CRD, generated in memory. */
    public static Map<String, String> generate() {
        Map<String, ByteArrayOutputStream> outputs = new TreeMap<>();
        new CRDGenerator()
                .customResourceClasses(KINDS.stream().<Class<? extends HasMetadata>>map(c -> c).toList())
                .forCRDVersions("v1")
                .withParallelGenerationEnabled(false)
                .withPostProcessor(new FluxSchemaDetails())
                .withOutput(new CRDGenerator.CRDOutput<ByteArrayOutputStream>() {
                    @Override
                    public ByteArrayOutputStream outputFor(String crdName) {
                        return outputs.computeIfAbsent(crdName, n -> new ByteArrayOutputStream());
                    }

                    @Override
                    public void close() {
                    }
                })
                .generate();
        Map<String, String> files = new TreeMap<>();
        outputs.forEach((name, out) -> {
            String crdName = name.endsWith("-v1") ? name.substring(0, name.length() - 3) : name;
            files.put(crdName + ".yaml", HEADER + out.toString(StandardCharsets.UTF_8));
        });
        return files;
    }

    /**
     * Adds what fabric8's annotations cannot say: {@code enum} from {@link OneOf},
     * {@code format: date-time} from {@link DateTime}, {@code format: int64} for {@code Long},
     * list-map keys from {@link ListMap}, the validation of Kubernetes' Condition and
     * LabelSelector types, {@code listKind}, and Flux's status default {@code observedGeneration: -1}.
     */
    static final class FluxSchemaDetails implements CRDPostProcessor {

        @Override
        public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
            CustomResourceDefinition definition = (CustomResourceDefinition) crd;
            Class<?> kind = KINDS.stream()
                    .filter(k -> HasMetadata.getFullResourceName(k).equals(definition.getMetadata().getName()))
                    .findFirst().orElseThrow();
            var typeArgs = ((ParameterizedType) kind.getGenericSuperclass()).getActualTypeArguments();
            // kubectl and client-go name the list type of a kind <Kind>List; Flux's CRDs say so.
            definition.getSpec().getNames().setListKind(definition.getSpec().getNames().getKind() + "List");
            for (CustomResourceDefinitionVersion version : definition.getSpec().getVersions()) {
                version.setAdditionalPrinterColumns(inDeclaredOrder(kind, version.getAdditionalPrinterColumns()));
                JSONSchemaProps root = version.getSchema().getOpenAPIV3Schema();
                decorate(MAPPER.constructType(typeArgs[0]), root.getProperties().get("spec"));
                if (typeArgs[1] == Void.class) {
                    // A kind without status (Alert, Provider) has no status field in Flux's schema either.
                    root.getProperties().remove("status");
                }
                JSONSchemaProps status = root.getProperties().get("status");
                if (status != null && typeArgs[1] != Void.class) {
                    decorate(MAPPER.constructType(typeArgs[1]), status);
                    if (status.getProperties().containsKey("observedGeneration")) {
                        ObjectNode unobserved = JsonNodeFactory.instance.objectNode().put("observedGeneration", -1);
                        status.setDefault(unobserved);
                    }
                }
            }
            return crd;
        }

        /** fabric8 sorts printer columns by name; kubectl shows them in the order the kind declares them, as Flux does. */
        private static List<CustomResourceColumnDefinition> inDeclaredOrder(Class<?> kind, List<CustomResourceColumnDefinition> columns) {
            List<String> order = Arrays.stream(kind.getAnnotationsByType(AdditionalPrinterColumn.class))
                    .map(AdditionalPrinterColumn::name).toList();
            return columns.stream().sorted(Comparator.comparingInt(c -> order.indexOf(c.getName()))).toList();
        }

        /** The validation of Kubernetes' metav1.Condition, which Flux's CRDs carry for status.conditions. */
        private static void describeCondition(JSONSchemaProps schema) {
            Map<String, JSONSchemaProps> p = schema.getProperties();
            p.get("lastTransitionTime").setFormat("date-time");
            p.get("message").setMaxLength(32768L);
            p.get("observedGeneration").setFormat("int64");
            p.get("observedGeneration").setMinimum(0.0);
            p.get("reason").setMaxLength(1024L);
            p.get("reason").setMinLength(1L);
            p.get("reason").setPattern("^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$");
            p.get("status").setEnum(List.of(JsonNodeFactory.instance.textNode("True"),
                    JsonNodeFactory.instance.textNode("False"), JsonNodeFactory.instance.textNode("Unknown")));
            p.get("type").setMaxLength(316L);
            p.get("type").setPattern("^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$");
            schema.setRequired(List.of("lastTransitionTime", "message", "reason", "status", "type"));
        }

        /** Kubernetes' metav1.LabelSelector as Flux's CRDs carry it: atomic map and lists, key and operator required. */
        private static void describeLabelSelector(JSONSchemaProps schema) {
            schema.setXKubernetesMapType("atomic");
            JSONSchemaProps expressions = schema.getProperties().get("matchExpressions");
            expressions.setXKubernetesListType("atomic");
            JSONSchemaProps expression = expressions.getItems().getSchema();
            expression.setRequired(List.of("key", "operator"));
            expression.getProperties().get("values").setXKubernetesListType("atomic");
        }

        private static void decorate(JavaType type, JSONSchemaProps schema) {
            if (schema == null) {
                return;
            }
            if (type.getRawClass() == Condition.class) {
                describeCondition(schema);
                return;
            }
            if (type.getRawClass() == LabelSelector.class) {
                describeLabelSelector(schema);
                return;
            }
            if (type.isCollectionLikeType()) {
                if (schema.getItems() != null) {
                    decorate(type.getContentType(), schema.getItems().getSchema());
                }
                return;
            }
            if (type.isMapLikeType()) {
                if (schema.getAdditionalProperties() != null) {
                    decorate(type.getContentType(), schema.getAdditionalProperties().getSchema());
                }
                return;
            }
            if (!type.getRawClass().getPackageName().startsWith("io.currents.api") || schema.getProperties() == null) {
                return;
            }
            BeanDescription bean = MAPPER.getSerializationConfig().introspect(type);
            for (BeanPropertyDefinition property : bean.findProperties()) {
                JSONSchemaProps child = schema.getProperties().get(property.getName());
                if (child == null) {
                    continue;
                }
                OneOf oneOf = annotation(property, OneOf.class);
                if (oneOf != null) {
                    // On a list the values constrain its items, as kubebuilder's Enum marker on a []T type does.
                    JSONSchemaProps constrained = property.getPrimaryType().isCollectionLikeType() ? child.getItems().getSchema() : child;
                    constrained.setEnum(Arrays.stream(oneOf.value())
                            .<com.fasterxml.jackson.databind.JsonNode>map(JsonNodeFactory.instance::textNode).toList());
                }
                ListMap listMap = annotation(property, ListMap.class);
                if (listMap != null) {
                    child.setXKubernetesListType("map");
                    child.setXKubernetesListMapKeys(List.of(listMap.keys()));
                }
                Class<?> raw = property.getPrimaryType().getRawClass();
                if (raw == Long.class || raw == long.class) {
                    // Go's int64 fields carry format int64 in Flux's CRDs; Java's Long is our int64.
                    child.setFormat("int64");
                }
                if (annotation(property, DateTime.class) != null) {
                    child.setFormat("date-time");
                }
                decorate(property.getPrimaryType(), child);
            }
        }

        private static <A extends java.lang.annotation.Annotation> A annotation(BeanPropertyDefinition property, Class<A> type) {
            for (AnnotatedMember member : new AnnotatedMember[] {property.getField(), property.getGetter(), property.getSetter()}) {
                if (member != null && member.getAnnotation(type) != null) {
                    return member.getAnnotation(type);
                }
            }
            return null;
        }
    }

    /** Names of all kinds, for messages. */
    static Collection<String> kindNames() {
        return KINDS.stream().map(Class::getSimpleName).toList();
    }
}
