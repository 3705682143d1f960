/// The words mapl reserves; they cannot be used as names.
public enum Keyword: String, Sendable, CaseIterable {
    case `if`, `else`, `for`, `in`, `while`, `fn`, `return`, `break`, `continue`
    case `true`, `false`, `none`, and, or, not, nograd
}

/// Punctuation and operators, by the characters users type.
public enum Symbol: String, Sendable, CaseIterable {
    case leftParen = "(", rightParen = ")", leftBracket = "[", rightBracket = "]", leftBrace = "{", rightBrace = "}"
    case comma = ",", dot = ".", dotDot = "..", colon = ":", semicolon = ";"
    case plus = "+", minus = "-", star = "*", slash = "/", percent = "%", at = "@", caret = "^"
    case arrow = "->", pipe = "|>", compose = ">>"
    case assign = "=", equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
    case plusAssign = "+=", minusAssign = "-=", starAssign = "*=", slashAssign = "/="

    /// The infix operator this symbol stands for in an expression, if any.
    var binaryOperator: BinaryOperator? {
        switch self {
        case .pipe: return .pipe
        case .compose: return .compose
        case .equal: return .equal
        case .notEqual: return .notEqual
        case .less: return .less
        case .lessEqual: return .lessEqual
        case .greater: return .greater
        case .greaterEqual: return .greaterEqual
        case .plus: return .add
        case .minus: return .subtract
        case .star: return .multiply
        case .slash: return .divide
        case .percent: return .modulo
        case .at: return .matmul
        case .caret: return .power
        default: return nil
        }
    }

    /// For `+= -= *= /=`, the operator applied in place.
    var compoundOperator: BinaryOperator? {
        switch self {
        case .plusAssign: return .add
        case .minusAssign: return .subtract
        case .starAssign: return .multiply
        case .slashAssign: return .divide
        default: return nil
        }
    }
}

/// What a token is, with its value for literals and names.
public enum TokenKind: Equatable, Sendable {
    case number(Double)
    /// A string literal's value, escapes already decoded.
    case string(String)
    /// A long list literal of plain numbers, `[1, -2.5, 3e4, …]`, scanned as one token (see `Scanner`).
    case numbers([Float])
    case name(String)
    case keyword(Keyword)
    case symbol(Symbol)
    /// The end of a statement: a line break outside `()` `[]` that does not follow an operator or a comma.
    case newline
    case eof
}

/// One token: its kind, the text as written, and where it is (the range starts at its first character).
public struct Token: Equatable, Sendable, CustomStringConvertible {
    public var kind: TokenKind
    public var text: String
    public var range: SourceRange
    public init(_ kind: TokenKind, _ text: String, _ range: SourceRange) { self.kind = kind; self.text = text; self.range = range }

    /// How error messages name this token: `'+'`, `'x'`, `the end of the line`, `the end of the input`.
    public var description: String {
        switch kind {
        case .newline: return "the end of the line"
        case .eof: return "the end of the input"
        default:
            let shown = text.count > 24 ? String(text.prefix(21)) + "..." : text
            return "'\(shown)'"
        }
    }

    func isSymbol(_ s: Symbol) -> Bool { kind == .symbol(s) }
    func isKeyword(_ k: Keyword) -> Bool { kind == .keyword(k) }
}
