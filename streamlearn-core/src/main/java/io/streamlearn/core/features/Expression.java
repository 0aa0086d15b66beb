package io.streamlearn.core.features;

import io.streamlearn.core.schema.FeatureSpec;
import io.streamlearn.core.schema.FeatureType;
import java.io.Serializable;
import java.util.List;
import java.util.Locale;

/**
 * An arithmetic expression over numeric columns, parsed once: numbers, column names (or {@code `any name`}),
 * {@code + - * /}, unary minus, parentheses and the functions {@code log} (natural), {@code log1p}, {@code sqrt},
 * {@code abs}, {@code exp}. A result that is not finite (division by zero, log of 0) is a missing value.
 */
abstract class Expression implements Serializable {

    private static final long serialVersionUID = 1L;

    abstract double evaluate(double[] row);

    double value(double[] row) {
        double value = evaluate(row);
        return Double.isFinite(value) ? value : Double.NaN;
    }

    static Expression parse(String text, List<FeatureSpec> columns) {
        Parser parser = new Parser(text, columns);
        Expression expression = parser.sum();
        parser.skipSpaces();
        if (parser.position < text.length()) {
            throw parser.error("unexpected '" + text.charAt(parser.position) + "'");
        }
        return expression;
    }

    private static final class Constant extends Expression {
        private static final long serialVersionUID = 1L;
        private final double value;

        Constant(double value) {
            this.value = value;
        }

        @Override
        double evaluate(double[] row) {
            return value;
        }
    }

    private static final class Column extends Expression {
        private static final long serialVersionUID = 1L;
        private final int index;

        Column(int index) {
            this.index = index;
        }

        @Override
        double evaluate(double[] row) {
            return row[index];
        }
    }

    private static final class Binary extends Expression {
        private static final long serialVersionUID = 1L;
        private final char operator;
        private final Expression left;
        private final Expression right;

        Binary(char operator, Expression left, Expression right) {
            this.operator = operator;
            this.left = left;
            this.right = right;
        }

        @Override
        double evaluate(double[] row) {
            double a = left.evaluate(row);
            double b = right.evaluate(row);
            return switch (operator) {
                case '+' -> a + b;
                case '-' -> a - b;
                case '*' -> a * b;
                default -> a / b;
            };
        }
    }

    private static final class Function extends Expression {
        private static final long serialVersionUID = 1L;
        private final String name;
        private final Expression argument;

        Function(String name, Expression argument) {
            this.name = name;
            this.argument = argument;
        }

        @Override
        double evaluate(double[] row) {
            double x = argument.evaluate(row);
            return switch (name) {
                case "log" -> Math.log(x);
                case "log1p" -> Math.log1p(x);
                case "sqrt" -> Math.sqrt(x);
                case "abs" -> Math.abs(x);
                default -> Math.exp(x);
            };
        }
    }

    /** Recursive descent: sum := product (('+'|'-') product)*; product := unary (('*'|'/') unary)*. */
    private static final class Parser {
        private static final List<String> FUNCTIONS = List.of("log", "log1p", "sqrt", "abs", "exp");
        private final String text;
        private final List<FeatureSpec> columns;
        private int position;

        Parser(String text, List<FeatureSpec> columns) {
            this.text = text;
            this.columns = columns;
        }

        Expression sum() {
            Expression left = product();
            while (peek('+') || peek('-')) {
                char operator = text.charAt(position++);
                left = new Binary(operator, left, product());
            }
            return left;
        }

        private Expression product() {
            Expression left = unary();
            while (peek('*') || peek('/')) {
                char operator = text.charAt(position++);
                left = new Binary(operator, left, unary());
            }
            return left;
        }

        private Expression unary() {
            if (peek('-')) {
                position++;
                return new Binary('-', new Constant(0), unary());
            }
            if (peek('(')) {
                position++;
                Expression inner = sum();
                expect(')');
                return inner;
            }
            if (peek('`')) {
                int end = text.indexOf('`', position + 1);
                if (end < 0) {
                    throw error("unclosed `");
                }
                String name = text.substring(position + 1, end);
                position = end + 1;
                return column(name);
            }
            int start = position;
            while (position < text.length() && isNameChar(text.charAt(position))) {
                position++;
            }
            String word = text.substring(start, position);
            if (word.isEmpty()) {
                throw error(position < text.length() ? "unexpected '" + text.charAt(position) + "'" : "unexpected end");
            }
            if (Character.isDigit(word.charAt(0)) || word.charAt(0) == '.') {
                return number(word);
            }
            if (peek('(')) {
                if (!FUNCTIONS.contains(word.toLowerCase(Locale.ROOT))) {
                    throw error("unknown function '" + word + "' (known: " + FUNCTIONS + ")");
                }
                position++;
                Expression argument = sum();
                expect(')');
                return new Function(word.toLowerCase(Locale.ROOT), argument);
            }
            return column(word);
        }

        private Expression number(String word) {
            try {
                return new Constant(Double.parseDouble(word));
            } catch (NumberFormatException e) {
                throw error("'" + word + "' is not a number");
            }
        }

        private Expression column(String name) {
            int index = Columns.indexOf(columns, name, "derive");
            Columns.requireType(columns.get(index), "derive", FeatureType.NUMERIC);
            return new Column(index);
        }

        private static boolean isNameChar(char c) {
            return Character.isLetterOrDigit(c) || c == '_' || c == '.';
        }

        private boolean peek(char c) {
            skipSpaces();
            return position < text.length() && text.charAt(position) == c;
        }

        private void expect(char c) {
            if (!peek(c)) {
                throw error("expected '" + c + "'");
            }
            position++;
        }

        void skipSpaces() {
            while (position < text.length() && Character.isWhitespace(text.charAt(position))) {
                position++;
            }
        }

        IllegalArgumentException error(String problem) {
            return new IllegalArgumentException("expression '" + text + "' at " + position + ": " + problem);
        }
    }
}
