package io.currents.runtime.cel;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.CelType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerBuilder;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A CEL expression as Flux evaluates them ({@code healthCheckExprs}, {@code dependsOn[].readyExpr}): objects are
 * free-form JSON, so the variables are whatever is given at evaluation (an object's top-level fields, or
 * {@code self} and {@code dep}), each of type {@code dyn} — Flux leaves the expression unchecked; cel-java runs only
 * checked programs, so the expression is checked against the given variable names (cached per set of names) and an
 * unknown name fails as it does in Flux. The string, sets, encoders and optional extensions are available, and
 * numbers compare across types. Comprehensions are bounded so that a hostile expression cannot run unbounded.
 */
public final class CelExpression {

    /** Iterations all comprehensions ({@code all}, {@code exists}, {@code map}, {@code filter}) of one evaluation may take. */
    static final int MAX_ITERATIONS = 100_000;

    private static final CelOptions OPTIONS = CelOptions.current()
            .enableHeterogeneousNumericComparisons(true)
            .enableOptionalSyntax(true)
            .enableTimestampEpoch(true)
            .comprehensionMaxIterations(MAX_ITERATIONS)
            .build();

    private static final CelCompiler PARSER = CelCompilerFactory.standardCelCompilerBuilder()
            .setOptions(OPTIONS)
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addLibraries(CelExtensions.strings(), CelExtensions.sets(OPTIONS), CelExtensions.encoders(OPTIONS),
                    CelExtensions.optional())
            .build();

    private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder()
            .setOptions(OPTIONS)
            .addLibraries(CelExtensions.strings(), CelExtensions.sets(OPTIONS), CelExtensions.encoders(OPTIONS),
                    CelExtensions.optional())
            .build();

    /** Programs kept per set of variable names; objects of one kind share their top-level fields, so this stays small. */
    private static final int MAX_PROGRAMS = 16;

    private final String text;
    private final CelAbstractSyntaxTree parsed;
    private final Map<Set<String>, CelRuntime.Program> programs = new ConcurrentHashMap<>();
    /** The variables of a compiled condition; null for an expression checked against whatever it is given. */
    private Set<String> fixed;

    private CelExpression(String text, CelAbstractSyntaxTree parsed) {
        this.text = text;
        this.parsed = parsed;
    }

    /** Parses an expression; the message of a syntax error says where, as Flux's does. */
    public static CelExpression parse(String text) throws CelException {
        try {
            return new CelExpression(text, PARSER.parse(text).getAst());
        } catch (CelValidationException e) {
            throw new CelException("failed to parse the CEL expression '" + text + "': " + e.getMessage(), e);
        }
    }

    /** The result type a compiled expression must have. */
    public enum Result {
        BOOL(SimpleType.BOOL), STRING(SimpleType.STRING), /** any type */ ANY(null);

        private final CelType type;

        Result(CelType type) {
            this.type = type;
        }
    }

    /**
     * Compiles an expression over object variables that must produce a boolean — how {@code dependsOn[].readyExpr}
     * is compiled, with {@code self} and {@code dep}.
     */
    public static CelExpression compileCondition(String text, String... objectVariables) throws CelException {
        return compile(text, Result.BOOL, objectVariables);
    }

    /**
     * Compiles an expression as Flux's {@code WithCompile}, {@code WithStructVariables} and {@code WithOutputType} do:
     * each variable is an object (a map of string to any), a reference to another name fails here, and so does a
     * result of another type than {@code result} (a {@code dyn} result is left to the evaluation, as in Flux).
     */
    public static CelExpression compile(String text, Result result, String... objectVariables) throws CelException {
        CelExpression expression = parse(text);
        CelCompilerBuilder checker = PARSER.toCompilerBuilder();
        for (String name : objectVariables) {
            checker.addVar(name, MapType.create(SimpleType.STRING, SimpleType.DYN));
        }
        try {
            CelAbstractSyntaxTree checked = checker.build().check(expression.parsed).getAst();
            CelType type = checked.getResultType();
            if (result.type != null && !type.equals(result.type) && !type.equals(SimpleType.DYN)) {
                throw new CelException("CEL expression output type mismatch: expected " + result.type.name().toLowerCase(Locale.ROOT)
                        + ", got " + type.name().toLowerCase(Locale.ROOT));
            }
            expression.programs.put(Set.of(objectVariables), RUNTIME.createProgram(checked));
            expression.fixed = Set.of(objectVariables);
        } catch (CelValidationException e) {
            throw new CelException("failed to parse the CEL expression '" + text + "': " + e.getMessage(), e);
        } catch (CelEvaluationException e) {
            throw new CelException("failed to create CEL program for '" + text + "': " + e.getMessage(), e);
        }
        return expression;
    }

    private CelRuntime.Program program(Set<String> variables) throws CelException {
        if (fixed != null) {
            if (!fixed.equals(variables)) {
                throw new CelException("the CEL expression '" + text + "' takes the variables " + new TreeSet<>(fixed));
            }
            return programs.get(fixed);
        }
        CelRuntime.Program program = programs.get(variables);
        if (program != null) {
            return program;
        }
        CelCompilerBuilder checker = PARSER.toCompilerBuilder();
        for (String name : variables) {
            checker.addVar(name, SimpleType.DYN);
        }
        try {
            program = RUNTIME.createProgram(checker.build().check(parsed).getAst());
        } catch (CelValidationException e) {
            throw new CelException("failed to evaluate the CEL expression '" + text + "': " + e.getMessage(), e);
        } catch (CelEvaluationException e) {
            throw new CelException("failed to create CEL program for '" + text + "': " + e.getMessage(), e);
        }
        if (programs.size() >= MAX_PROGRAMS) {
            programs.clear();
        }
        programs.put(Set.copyOf(variables), program);
        return program;
    }

    /** Evaluates to a boolean; any other result, or an error such as a missing field, is a {@link CelException}. */
    public boolean evaluateBoolean(Map<String, ?> variables) throws CelException {
        Object result = evaluate(variables);
        if (result instanceof Boolean b) {
            return b;
        }
        throw new CelException("failed to evaluate CEL expression as boolean: '" + text + "'");
    }

    /** Evaluates to a string; any other result, or an error such as a missing field, is a {@link CelException}. */
    public String evaluateString(Map<String, ?> variables) throws CelException {
        if (evaluate(variables) instanceof String result) {
            return result;
        }
        throw new CelException("failed to evaluate CEL expression as string: '" + text + "'");
    }

    /** Evaluates with the given variables (JSON-like values: maps, lists, strings, numbers, booleans, null). */
    public Object evaluate(Map<String, ?> variables) throws CelException {
        Map<String, Object> activation = new LinkedHashMap<>();
        variables.forEach((k, v) -> activation.put(k, normalize(v)));
        CelRuntime.Program program = program(new TreeSet<>(activation.keySet()));
        try {
            return program.eval(activation);
        } catch (CelEvaluationException e) {
            throw new CelException("failed to evaluate the CEL expression '" + text + "': " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new CelException("failed to evaluate the CEL expression '" + text + "': " + e, e);
        }
    }

    @Override
    public String toString() {
        return text;
    }

    /** CEL knows int (64-bit), double, string, bool, null, list and map: JSON numbers of other widths are widened. */
    @SuppressWarnings("unchecked")
    public static Object normalize(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            ((Map<Object, Object>) map).forEach((k, v) -> out.put(String.valueOf(k), normalize(v)));
            return out;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            list.forEach(v -> out.add(normalize(v)));
            return out;
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Float) {
            return ((Float) value).doubleValue();
        }
        if (value instanceof BigInteger big) {
            return big.bitLength() < 64 ? big.longValue() : big.doubleValue();
        }
        if (value instanceof BigDecimal dec) {
            return dec.doubleValue();
        }
        if (value == null) {
            return dev.cel.common.values.NullValue.NULL_VALUE;
        }
        return value;
    }
}
