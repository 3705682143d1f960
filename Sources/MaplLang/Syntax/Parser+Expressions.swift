/// Expressions: a Pratt parser. Binding powers, loosest first (see LANGUAGE.md's table):
/// `|>` 10, `>>` 20, `or` 30, `and` 40, prefix `not` (operand at 50), comparisons 50, `..` 60, `+ -` 70,
/// `* / %` 80, `@` 90, prefix `-` (operand at 100), `^` 100 right-associative, then postfix call/index/field.
extension Parser {
    typealias Parsed = (node: Expr, height: Int)

    static let notOperandPower = 50
    static let negateOperandPower = 100

    /// The infix operator at `token`: its left binding power and the power its right operand is parsed at.
    static func infix(_ token: Token) -> (op: BinaryOperator?, left: Int, right: Int)? {
        switch token.kind {
        case .keyword(.or): return (.or, 30, 31)
        case .keyword(.and): return (.and, 40, 41)
        case .symbol(let s):
            switch s {
            case .pipe: return (.pipe, 10, 11)
            case .compose: return (.compose, 20, 21)
            case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual: return (s.binaryOperator, 50, 51)
            case .dotDot: return (nil, 60, 61)   // range
            case .plus, .minus: return (s.binaryOperator, 70, 71)
            case .star, .slash, .percent: return (s.binaryOperator, 80, 81)
            case .at: return (.matmul, 90, 91)
            case .caret: return (.power, 100, 100)   // right-associative; the exponent may start with '-'
            default: return nil
            }
        default: return nil
        }
    }

    /// An expression whose operators all bind at least as tightly as `minPower`. `expected` completes the
    /// message "expected …" when no operand is found.
    mutating func expression(_ minPower: Int = 0, expected: String) throws -> Parsed {
        try enter(at: peek)
        defer { depth -= 1 }
        var left = try prefix(minPower, expected: expected)
        while let (op, power, rightPower) = Parser.infix(peek), power >= minPower {
            let opToken = advance()
            let right = try expression(rightPower, expected: "an expression after '\(opToken.text)'")
            let range = left.node.range.to(right.node.range)
            let height = 1 + max(left.height, right.height)
            try checkHeight(height, at: opToken, chain: true)
            if let op {
                left = (Expr(.binary(op, left.node, right.node), range), height)
            } else {
                left = (Expr(.range(left.node, right.node), range), height)
                if check(.dotDot) && power >= minPower {
                    throw fail("ranges do not chain; use parentheses", at: peek)
                }
            }
        }
        return left
    }

    /// An operand: a literal, name, list, parenthesised expression, lambda, `time { }` or prefix operator,
    /// followed by any calls, indexes and fields.
    mutating func prefix(_ minPower: Int, expected: String) throws -> Parsed {
        let start = peek
        switch start.kind {
        case .symbol(.minus):
            advance()
            let operand = try expression(Parser.negateOperandPower, expected: "an expression after '-'")
            return (Expr(.unary(.negate, operand.node), range(from: start)), operand.height + 1)
        case .keyword(.not):
            if minPower > Parser.notOperandPower {
                throw fail("'not' must be parenthesised here: write (not …)", at: start)
            }
            advance()
            let operand = try expression(Parser.notOperandPower, expected: "an expression after 'not'")
            return (Expr(.unary(.not, operand.node), range(from: start)), operand.height + 1)
        case .name(let name) where peek(1).isSymbol(.arrow):
            advance()
            return try lambdaBody([Parameter(name: name, defaultValue: nil, range: start.range)], start: start)
        case .symbol(.leftParen) where lambdaAhead():
            return try parenthesisedLambda()
        default:
            var operand = try primary(expected: expected)
            return try postfix(&operand)
        }
    }

    /// Literals, names, lists, `( … )` and `time { … }`.
    mutating func primary(expected: String) throws -> Parsed {
        let start = peek
        switch start.kind {
        case .number(let value): advance(); return (Expr(.number(value), start.range), 1)
        case .string(let value): advance(); return (Expr(.string(value), start.range), 1)
        case .numbers(let values): advance(); return (Expr(.numbers(values), start.range), 1)
        case .keyword(.true): advance(); return (Expr(.bool(true), start.range), 1)
        case .keyword(.false): advance(); return (Expr(.bool(false), start.range), 1)
        case .keyword(.none): advance(); return (Expr(.none, start.range), 1)
        case .name("time") where peek(1).isSymbol(.leftBrace):
            advance()
            let body = try block(after: "after 'time'")
            return (Expr(.time(body.node), range(from: start)), body.height + 1)
        case .name(let name): advance(); return (Expr(.name(name), start.range), 1)
        case .symbol(.leftParen):
            advance()
            let inner = try expression(expected: "an expression after '('")
            _ = try expect(.rightParen, "expected ')' to close '(' at \(Parser.location(start))")
            // The node keeps its own kind but covers the parentheses, so carets span what the user wrote.
            return (Expr(inner.node.kind, range(from: start)), inner.height)
        case .symbol(.leftBracket):
            return try list()
        case .symbol(.rightParen), .symbol(.rightBracket), .symbol(.rightBrace), .keyword(.else), .keyword(.in):
            if expected == "a statement" { throw fail("unexpected \(start)", at: start) }
            throw fail("expected \(expected), found \(start)", at: start)
        default:
            if expected == "a statement" { throw fail("expected a statement, found \(start)", at: start) }
            throw fail("expected \(expected)", at: start)
        }
    }

    /// `[a, b, …]`, `[]`, trailing comma allowed.
    mutating func list() throws -> Parsed {
        let open = advance()
        var elements: [Expr] = []
        var height = 0
        while !check(.rightBracket) {
            if atEnd { break }
            let element = try expression(expected: "an expression after \(elements.isEmpty ? "'['" : "','")")
            elements.append(element.node)
            height = max(height, element.height)
            if !match(.comma) { break }
        }
        _ = try expect(.rightBracket, "expected ']' to close '[' at \(Parser.location(open))")
        return (Expr(.list(elements), range(from: open)), height + 1)
    }

    /// Calls `f(…)`, indexes `x[…]` and fields `x.name`, applied left to right.
    mutating func postfix(_ operand: inout Parsed) throws -> Parsed {
        while true {
            let token = peek
            switch token.kind {
            case .symbol(.leftParen):
                if let topic = helpKeywordArgument(callee: operand.node) {
                    // `help(nograd)`, `help(time)`: a keyword is not a value, so it is read as its name.
                    operand = (Expr(.call(operand.node, [topic]), operand.node.range.to(previous.range)), operand.height + 1)
                    continue
                }
                let arguments = try callArguments()
                let height = 1 + max(operand.height, arguments.height)
                try checkHeight(height, at: token)
                operand = (Expr(.call(operand.node, arguments.node), operand.node.range.to(previous.range)), height)
            case .symbol(.leftBracket):
                let subscripts = try subscripts()
                let height = 1 + max(operand.height, subscripts.height)
                try checkHeight(height, at: token)
                operand = (Expr(.index(operand.node, subscripts.node), operand.node.range.to(previous.range)), height)
            case .symbol(.dot):
                advance()
                guard case .name(let field) = peek.kind else {
                    throw fail("expected a field name after '.', found \(peek)", at: peek)
                }
                let nameToken = advance()
                let height = operand.height + 1
                try checkHeight(height, at: token)
                operand = (Expr(.field(operand.node, field, nameRange: nameToken.range), operand.node.range.to(nameToken.range)), height)
            default:
                return operand
            }
        }
    }

    /// In `help(kw)` with a lone keyword (or `time` without a block), consumes `(kw)` and gives the argument
    /// `"kw"`; nil, consuming nothing, otherwise.
    mutating func helpKeywordArgument(callee: Expr) -> Argument? {
        guard case .name("help") = callee.kind, peek(2).isSymbol(.rightParen) else { return nil }
        let word: String
        switch peek(1).kind {
        case .keyword(let k): word = k.rawValue
        case .name("time"): word = "time"
        default: return nil
        }
        advance()
        let token = advance()
        advance()
        return Argument(label: nil, value: Expr(.string(word), token.range), range: token.range)
    }

    /// `(a, k=v, …)` after a callee; keyword arguments follow positional ones, each label at most once.
    mutating func callArguments() throws -> (node: [Argument], height: Int) {
        let open = advance()
        try enter(at: open)
        defer { depth -= 1 }
        var arguments: [Argument] = []
        var height = 0
        while !check(.rightParen) {
            if atEnd { break }
            let start = peek
            if case .name(let label) = start.kind, peek(1).isSymbol(.assign) {
                advance(); advance()
                if arguments.contains(where: { $0.label == label }) {
                    throw fail("duplicate keyword argument '\(label)'", at: start)
                }
                let value = try expression(expected: "a value after '\(label)='")
                arguments.append(Argument(label: label, value: value.node, range: range(from: start)))
                height = max(height, value.height)
            } else {
                let value = try expression(expected: "an expression after \(arguments.isEmpty ? "'('" : "','")")
                if arguments.contains(where: { $0.label != nil }) {
                    throw fail("a positional argument cannot follow keyword arguments", range: value.node.range)
                }
                arguments.append(Argument(label: nil, value: value.node, range: value.node.range))
                height = max(height, value.height)
            }
            if !match(.comma) { break }
        }
        _ = try expect(.rightParen, "expected ')' to close '(' at \(Parser.location(open))")
        return (arguments, height + 1)
    }

    /// `[i, a:b, :, ::2, -1]`: each entry an index or a slice `start:end:step` with optional parts.
    mutating func subscripts() throws -> (node: [Subscript], height: Int) {
        let open = advance()
        try enter(at: open)
        defer { depth -= 1 }
        var items: [Subscript] = []
        var height = 0
        while !check(.rightBracket) {
            if atEnd { break }
            let start = peek
            let first = try slicePart(after: items.isEmpty ? "[" : ",", &height)
            if match(.colon) {
                let end = try slicePart(after: ":", &height)
                var step: Expr?
                if match(.colon) { step = try slicePart(after: ":", &height) }
                items.append(.slice(start: first, end: end, step: step, range: range(from: start)))
            } else if let first {
                items.append(.index(first))
            } else {
                throw fail("expected an index after \(items.isEmpty ? "'['" : "','")", at: peek)
            }
            if !match(.comma) { break }
        }
        if items.isEmpty && check(.rightBracket) {
            throw fail("expected an index between '[' and ']'", at: peek)
        }
        _ = try expect(.rightBracket, "expected ']' to close '[' at \(Parser.location(open))")
        return (items, height + 1)
    }

    /// One optional part of a slice: nothing when the next token is `:`, `,` or `]`.
    mutating func slicePart(after: String, _ height: inout Int) throws -> Expr? {
        if check(.colon) || check(.comma) || check(.rightBracket) { return nil }
        let e = try expression(expected: "an expression after '\(after)'")
        height = max(height, e.height)
        return e.node
    }

    /// Whether the `(` at the cursor starts `(a, b) -> …` or `() -> …`: names, commas, `)` then `->`.
    func lambdaAhead() -> Bool {
        var i = 1
        if peek(i).isSymbol(.rightParen) { return peek(i + 1).isSymbol(.arrow) }
        while true {
            guard case .name = peek(i).kind else { return false }
            i += 1
            if peek(i).isSymbol(.comma) {
                i += 1
                if peek(i).isSymbol(.rightParen) { return peek(i + 1).isSymbol(.arrow) }
            } else if peek(i).isSymbol(.rightParen) {
                return peek(i + 1).isSymbol(.arrow)
            } else {
                return false
            }
        }
    }

    /// `(a, b) -> body`, after `lambdaAhead()` said yes.
    mutating func parenthesisedLambda() throws -> Parsed {
        let start = advance()
        var parameters: [Parameter] = []
        while case .name(let name) = peek.kind {
            let token = advance()
            if parameters.contains(where: { $0.name == name }) {
                throw fail("duplicate parameter '\(name)'", at: token)
            }
            parameters.append(Parameter(name: name, defaultValue: nil, range: token.range))
            if !match(.comma) { break }
        }
        _ = try expect(.rightParen, "expected ')' to close '(' at \(Parser.location(start))")
        return try lambdaBody(parameters, start: start)
    }

    /// The `-> body` of a lambda; the body reaches as far right as possible.
    mutating func lambdaBody(_ parameters: [Parameter], start: Token) throws -> Parsed {
        _ = try expect(.arrow, "expected '->' after the parameters")
        let body = try expression(expected: "an expression after '->'")
        return (Expr(.lambda(parameters, body.node), range(from: start)), body.height + 1)
    }
}
