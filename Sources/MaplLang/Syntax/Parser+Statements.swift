/// Statements and blocks. Each parse function returns its node with its height, so `Parser.maxHeight` holds.
extension Parser {
    /// Statements up to the end of the input.
    mutating func statements() throws -> [Stmt] {
        var result: [Stmt] = []
        while true {
            skipSeparators()
            if atEnd { break }
            result.append(try statement().node)
            try endOfStatement(inBlock: false)
        }
        return result
    }

    mutating func skipSeparators() {
        while peek.kind == .newline || check(.semicolon) { advance() }
    }

    /// After a statement: a line break, `;`, the end, or (in a block) the closing `}`.
    mutating func endOfStatement(inBlock: Bool) throws {
        if peek.kind == .newline || check(.semicolon) { advance(); return }
        if atEnd || (inBlock && check(.rightBrace)) { return }
        switch peek.kind {
        case .symbol(.rightParen), .symbol(.rightBracket), .symbol(.rightBrace):
            throw fail("unexpected \(peek)", at: peek)
        default:
            // A Python keyword read as a name (`def f(x):`, `} elif c {`) gets what to write instead.
            for token in [previous, peek] {
                if case .name(let word) = token.kind, let hint = Suggestions.forPythonKeyword(word) { throw fail(hint, at: token) }
            }
            throw fail("expected the end of the statement (a new line or ';'), found \(peek)", at: peek)
        }
    }

    mutating func statement() throws -> (node: Stmt, height: Int) {
        let start = peek
        // A statement with a block is one nesting level, so deep nesting is reported at its keyword.
        let opensBlock = [Keyword.fn, .if, .for, .while, .nograd].contains { start.isKeyword($0) }
        if opensBlock { try enter(at: start, block: true) }
        defer { if opensBlock { depth -= 1 } }
        switch start.kind {
        case .keyword(.fn): return try functionDeclaration()
        case .keyword(.if): return try ifStatement()
        case .keyword(.for): return try forStatement()
        case .keyword(.while):
            advance()
            let condition = try expression(expected: "a condition after 'while'")
            let body = try block(after: "after the condition of 'while'")
            return (Stmt(.whileLoop(condition: condition.node, body: body.node), range(from: start)), 1 + max(condition.height, body.height))
        case .keyword(.nograd):
            advance()
            let body = try block(after: "after 'nograd'")
            return (Stmt(.nograd(body.node), range(from: start)), 1 + body.height)
        case .keyword(.return):
            advance()
            if peek.kind == .newline || atEnd || check(.semicolon) || check(.rightBrace) {
                return (Stmt(.returnValue(nil), start.range), 1)
            }
            let value = try expression(expected: "an expression after 'return'")
            return (Stmt(.returnValue(value.node), range(from: start)), 1 + value.height)
        case .keyword(.break):
            advance()
            return (Stmt(.breakLoop, start.range), 1)
        case .keyword(.continue):
            advance()
            return (Stmt(.continueLoop, start.range), 1)
        default:
            return try expressionStatement()
        }
    }

    /// `{ statements }`, possibly with the `{` on the next line. `context` completes "expected '{' …".
    mutating func block(after context: String) throws -> (node: [Stmt], height: Int) {
        if peek.kind == .newline && peek(1).isSymbol(.leftBrace) { advance() }
        guard check(.leftBrace) else {
            var message = "expected '{' \(context), found \(peek)"
            if check(.assign) { message += " (use '==' to compare)" }
            throw fail(message, at: peek)
        }
        let open = advance()
            var body: [Stmt] = []
            var height = 0
            while true {
                skipSeparators()
                if check(.rightBrace) { break }
                if atEnd { throw fail("expected '}' to close '{' at \(Parser.location(open))", at: peek) }
                let s = try statement()
                body.append(s.node)
                height = max(height, s.height)
                try endOfStatement(inBlock: true)
            }
            advance()
            return (body, height + 1)
    }

    /// `fn name(a, b=1) { … }`
    mutating func functionDeclaration() throws -> (node: Stmt, height: Int) {
        let start = advance()
        guard case .name(let name) = peek.kind else {
            throw fail("expected a name after 'fn', found \(peek)", at: peek)
        }
        advance()
        let found = peek
        let open = try expect(.leftParen, "expected '(' after 'fn \(name)', found \(found)")
        var parameters: [Parameter] = []
        var height = 0
        while !check(.rightParen) {
            guard case .name(let parameterName) = peek.kind else {
                if atEnd { throw fail("expected ')' to close '(' at \(Parser.location(open))", at: peek) }
                throw fail("expected a parameter name, found \(peek)", at: peek)
            }
            let nameToken = advance()
            var defaultValue: Expr?
            if match(.assign) {
                let value = try expression(expected: "a default value after '\(parameterName)='")
                defaultValue = value.node
                height = max(height, value.height)
            }
            if parameters.contains(where: { $0.name == parameterName }) {
                throw fail("duplicate parameter '\(parameterName)'", at: nameToken)
            }
            parameters.append(Parameter(name: parameterName, defaultValue: defaultValue, range: range(from: nameToken)))
            if !match(.comma) { break }
        }
        _ = try expect(.rightParen, "expected ')' to close '(' at \(Parser.location(open))")
        let body = try block(after: "to start the body of 'fn \(name)'")
        return (Stmt(.function(name: name, parameters, body: body.node), range(from: start)), 1 + max(height, body.height))
    }

    /// `if c { } else if c { } else { }`; `else` may open the line after the `}`.
    mutating func ifStatement() throws -> (node: Stmt, height: Int) {
        let start = advance()
        let condition = try expression(expected: "a condition after 'if'")
        let then = try block(after: "after the condition of 'if'")
        var height = max(condition.height, then.height)
        var otherwise: [Stmt]?
        if peek.kind == .newline && peek(1).isKeyword(.else) { advance() }
        if check(.else) {
            let elseToken = advance()
            if check(.if) {
                try enter(at: elseToken, block: true)
                defer { depth -= 1 }
                let nestedIf = try ifStatement()
                otherwise = [nestedIf.node]
                height = max(height, nestedIf.height)
            } else {
                let block = try block(after: "after 'else'")
                otherwise = block.node
                height = max(height, block.height)
            }
        }
        try checkHeight(height + 1, at: start)
        return (Stmt(.ifElse(condition: condition.node, then: then.node, otherwise: otherwise), range(from: start)), height + 1)
    }

    /// `for name in iterable { … }`
    mutating func forStatement() throws -> (node: Stmt, height: Int) {
        let start = advance()
        guard case .name(let variable) = peek.kind else {
            throw fail("expected a loop variable name after 'for', found \(peek)", at: peek)
        }
        advance()
        guard check(.in) else { throw fail("expected 'in' after 'for \(variable)', found \(peek)", at: peek) }
        advance()
        let iterable = try expression(expected: "an expression after 'in'")
        let body = try block(after: "after 'for \(variable) in …'")
        let height = 1 + max(iterable.height, body.height)
        return (Stmt(.forIn(variable: variable, iterable: iterable.node, body: body.node), range(from: start)), height)
    }

    /// An expression, an assignment `t = v` / `t op= v`, or a one-line definition `f(x, y=1) = body`.
    mutating func expressionStatement() throws -> (node: Stmt, height: Int) {
        let start = peek
        let target = try expression(expected: "a statement")
        if check(.assign) {
            let equals = advance()
            if case .call(let callee, let arguments) = target.node.kind, case .name(let name) = callee.kind {
                let parameters = try definitionParameters(arguments)
                let body = try expression(expected: "an expression after '='")
                let height = 1 + max(target.height, body.height)
                return (Stmt(.define(name: name, parameters, body: body.node), range(from: start)), height)
            }
            try checkAssignable(target.node)
            let value = try expression(expected: "an expression after '\(equals.text)'")
            return (Stmt(.assign(target: target.node, value: value.node), range(from: start)), 1 + max(target.height, value.height))
        }
        if case .symbol(let s) = peek.kind, let op = s.compoundOperator {
            let opToken = advance()
            try checkAssignable(target.node)
            let value = try expression(expected: "an expression after '\(opToken.text)'")
            return (Stmt(.compoundAssign(target: target.node, op, value: value.node), range(from: start)), 1 + max(target.height, value.height))
        }
        return (Stmt(.expression(target.node), target.node.range), target.height + 1)
    }

    /// The parameters of `f(x, lr=0.1) = …`: plain names, or `name=default`.
    mutating func definitionParameters(_ arguments: [Argument]) throws -> [Parameter] {
        var parameters: [Parameter] = []
        for argument in arguments {
            let parameter: Parameter
            if let label = argument.label {
                parameter = Parameter(name: label, defaultValue: argument.value, range: argument.range)
            } else if case .name(let name) = argument.value.kind {
                parameter = Parameter(name: name, defaultValue: nil, range: argument.range)
            } else {
                throw fail("cannot assign to a call; to define a mapping, name its parameters: f(x, y) = …", range: argument.range)
            }
            if parameters.contains(where: { $0.name == parameter.name }) {
                throw fail("duplicate parameter '\(parameter.name)'", range: argument.range)
            }
            parameters.append(parameter)
        }
        return parameters
    }

    /// A target is a name, or an index or field whose base is again a target (`m.layers[0].b`).
    mutating func checkAssignable(_ target: Expr) throws {
        var e = target
        while true {
            switch e.kind {
            case .name: return
            case .index(let base, _), .field(let base, _, _): e = base
            default:
                throw fail("cannot assign to \(Parser.describe(e)); the target must be a name, an index x[i] or a field x.name", range: e.range)
            }
        }
    }

    /// How "cannot assign to …" names an expression.
    static func describe(_ e: Expr) -> String {
        switch e.kind {
        case .number: return "a number"
        case .string: return "a string"
        case .bool: return "a bool"
        case .none: return "none"
        case .name(let n): return "'\(n)'"
        case .list, .numbers: return "a list"
        case .unary(let op, _): return "the result of '\(op.rawValue)'"
        case .binary(let op, _, _): return "the result of '\(op.rawValue)'"
        case .call: return "a call"
        case .index: return "an index"
        case .field: return "a field"
        case .lambda: return "a mapping"
        case .range: return "a range"
        case .time: return "'time { … }'"
        }
    }
}
