/// How the trace's text writes node names.
public enum TraceNames {
    /// A name as an operand of an infix operator: in parentheses when it is itself an operation (`yhat - y`).
    public static func operand(_ name: String) -> String {
        var depth = 0
        for ch in name {
            switch ch {
            case "(", "[": depth += 1
            case ")", "]": depth -= 1
            case " " where depth == 0: return "(" + name + ")"
            default: break
            }
        }
        return name
    }
}
