package io.currents.notification.controller;

import io.currents.runtime.cel.CelExpression;
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

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A compiled CEL expression as Flux's notification-controller compiles them ({@code WithCompile},
 * {@code WithStructVariables}, {@code WithOutputType}): the named variables are objects (maps of string to any), the
 * result type is checked at compile time, and Flux's environment is offered — optional types, the strings, sets and
 * encoders extensions, numbers comparing across types. Comprehensions are bounded, so a hostile expression cannot run
 * without end.
 */
final class CelProgram {

    static final int MAX_ITERATIONS = 100_000;

    private static final CelOptions OPTIONS = CelOptions.current()
            .enableHeterogeneousNumericComparisons(true)
            .enableOptionalSyntax(true)
            .enableTimestampEpoch(true)
            .comprehensionMaxIterations(MAX_ITERATIONS)
            .build();

    private static final CelCompiler COMPILER = CelCompilerFactory.standardCelCompilerBuilder()
            .setOptions(OPTIONS)
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addLibraries(CelExtensions.strings(), CelExtensions.sets(OPTIONS), CelExtensions.encoders(OPTIONS), CelExtensions.optional())
            .build();

    private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder()
            .setOptions(OPTIONS)
            .addLibraries(CelExtensions.strings(), CelExtensions.sets(OPTIONS), CelExtensions.encoders(OPTIONS), CelExtensions.optional())
            .build();

    /** The expected result: {@code null} for any type. */
    enum Result {
        STRING(SimpleType.STRING), BOOL(SimpleType.BOOL), ANY(null);

        final CelType type;

        Result(CelType type) {
            this.type = type;
        }
    }

    private final String text;
    private final CelRuntime.Program program;

    private CelProgram(String text, CelRuntime.Program program) {
        this.text = text;
        this.program = program;
    }

    /** Compiles against object variables; a syntax error, an unknown name or a wrong result type fails here. */
    static CelProgram compile(String text, Result result, String... objectVariables) throws CelException {
        CelCompilerBuilder builder = COMPILER.toCompilerBuilder();
        for (String name : objectVariables) {
            builder.addVar(name, MapType.create(SimpleType.STRING, SimpleType.DYN));
        }
        try {
            CelAbstractSyntaxTree ast = builder.build().compile(text).getAst();
            if (result.type != null && !ast.getResultType().equals(result.type) && !ast.getResultType().equals(SimpleType.DYN)) {
                throw new CelException("CEL expression output type mismatch: expected " + result.type.name().toLowerCase()
                        + ", got " + ast.getResultType().name().toLowerCase());
            }
            return new CelProgram(text, RUNTIME.createProgram(ast));
        } catch (CelValidationException e) {
            throw new CelException("failed to parse the CEL expression '" + text + "': " + e.getMessage());
        } catch (CelEvaluationException e) {
            throw new CelException("failed to create CEL program: " + e.getMessage());
        }
    }

    Object evaluate(Map<String, ?> variables) throws CelException {
        Map<String, Object> activation = new LinkedHashMap<>();
        variables.forEach((k, v) -> activation.put(k, CelExpression.normalize(v)));
        try {
            return program.eval(activation);
        } catch (CelEvaluationException | RuntimeException e) {
            throw new CelException("failed to evaluate the CEL expression '" + text + "': " + e.getMessage());
        }
    }

    boolean evaluateBoolean(Map<String, ?> variables) throws CelException {
        if (evaluate(variables) instanceof Boolean b) {
            return b;
        }
        throw new CelException("failed to evaluate CEL expression as boolean: '" + text + "'");
    }

    String evaluateString(Map<String, ?> variables) throws CelException {
        if (evaluate(variables) instanceof String s) {
            return s;
        }
        throw new CelException("failed to evaluate CEL expression as string: '" + text + "'");
    }

    /** A CEL expression that does not compile or evaluate; the message says which and why. */
    static final class CelException extends Exception {
        CelException(String message) {
            super(message);
        }
    }
}
