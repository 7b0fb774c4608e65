package io.currents.image.update;

/** One value a setter replaced: Flux's {@code Change} ({@code .OldValue}, {@code .NewValue}, {@code .Setter}). */
public record Change(String setter, String oldValue, String newValue) implements TemplateFields {
    @Override
    public Object field(String field) {
        return switch (field) {
            case "OldValue" -> oldValue;
            case "NewValue" -> newValue;
            case "Setter" -> setter;
            default -> throw new IllegalArgumentException("a change has no field '" + field + "' (it has OldValue, NewValue, Setter)");
        };
    }
}
