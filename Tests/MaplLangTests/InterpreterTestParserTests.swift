import XCTest
@testable import MaplLang
import MaplNN

// A throwaway parser for the interpreter's tests only, written while the real scanner and parser are built
// on another branch. It follows LANGUAGE.md's grammar and precedence table closely enough to write tests as
// mapl snippets; once `Parser.parse` lands, `mapl(_:)` below should call it instead.

struct TestToken {
    enum Kind: Equatable { case number(Double), string(String), name(String), symbol(String), newline, end }
    var kind: Kind
    var range: SourceRange
}

struct TestParseError: Error, CustomStringConvertible { var description: String }

enum TestScanner {
    static let symbols = ["->", "|>", ">>", "==", "!=", "<=", ">=", "..", "+=", "-=", "*=", "/=",
                          "(", ")", "[", "]", "{", "}", ",", ":", ";", ".", "=", "+", "-", "*", "/", "%", "@", "^", "<", ">"]

    static func scan(_ source: String) throws -> [TestToken] {
        let chars = Array(source)
        var tokens: [TestToken] = []
        var i = 0, line = 1, col = 1, depth = 0
        func loc() -> SourceLocation { SourceLocation(line: line, column: col, offset: i) }
        func advance(_ n: Int = 1) { for _ in 0..<n { if chars[i] == "\n" { line += 1; col = 1 } else { col += 1 }; i += 1 } }
        while i < chars.count {
            let c = chars[i]
            let start = loc()
            if c == "#" { while i < chars.count && chars[i] != "\n" { advance() }; continue }
            if c == "\n" {
                advance()
                if depth == 0 { tokens.append(TestToken(kind: .newline, range: SourceRange(start, loc()))) }
                continue
            }
            if c == " " || c == "\t" || c == "\r" { advance(); continue }
            if c.isNumber || (c == "." && i + 1 < chars.count && chars[i + 1].isNumber) {
                var text = ""
                while i < chars.count, chars[i].isNumber || (chars[i] == "." && !(i + 1 < chars.count && chars[i + 1] == ".")) {
                    text.append(chars[i]); advance()
                }
                if i < chars.count, chars[i] == "e" || chars[i] == "E" {
                    text.append("e"); advance()
                    if i < chars.count, chars[i] == "-" || chars[i] == "+" { text.append(chars[i]); advance() }
                    while i < chars.count, chars[i].isNumber { text.append(chars[i]); advance() }
                }
                guard let x = Double(text) else { throw TestParseError(description: "bad number \(text)") }
                tokens.append(TestToken(kind: .number(x), range: SourceRange(start, loc())))
                continue
            }
            if c.isLetter || c == "_" {
                var text = ""
                while i < chars.count, chars[i].isLetter || chars[i].isNumber || chars[i] == "_" { text.append(chars[i]); advance() }
                tokens.append(TestToken(kind: .name(text), range: SourceRange(start, loc())))
                continue
            }
            if c == "\"" {
                advance()
                var text = ""
                while i < chars.count, chars[i] != "\"" {
                    if chars[i] == "\\", i + 1 < chars.count {
                        advance()
                        switch chars[i] { case "n": text.append("\n"); case "t": text.append("\t"); default: text.append(chars[i]) }
                    } else { text.append(chars[i]) }
                    advance()
                }
                advance()
                tokens.append(TestToken(kind: .string(text), range: SourceRange(start, loc())))
                continue
            }
            guard let sym = symbols.first(where: { s in
                let sc = Array(s); return i + sc.count <= chars.count && Array(chars[i..<i + sc.count]) == sc
            }) else { throw TestParseError(description: "unexpected \(c)") }
            advance(sym.count)
            if sym == "(" || sym == "[" { depth += 1 }
            if sym == ")" || sym == "]" { depth -= 1 }
            tokens.append(TestToken(kind: .symbol(sym), range: SourceRange(start, loc())))
        }
        tokens.append(TestToken(kind: .end, range: SourceRange(loc(), loc())))
        return tokens
    }
}

final class TestParser {
    var tokens: [TestToken]
    var p = 0
    static let keywords: Set<String> = ["if", "else", "for", "in", "while", "fn", "return", "break", "continue", "true", "false", "none", "and", "or", "not", "nograd"]

    init(_ source: String) throws { tokens = try TestScanner.scan(source) }

    var cur: TestToken { tokens[p] }
    var lastEnd: SourceLocation { tokens[max(p - 1, 0)].range.end }
    func isSym(_ s: String) -> Bool { cur.kind == .symbol(s) }
    func isName(_ s: String) -> Bool { cur.kind == .name(s) }
    func next() -> TestToken { defer { p += 1 }; return tokens[p] }
    func expect(_ s: String) throws {
        guard isSym(s) || isName(s) else { throw TestParseError(description: "expected \(s) at \(cur.range), got \(cur.kind)") }
        p += 1
    }
    func skipNewlines() { while cur.kind == .newline || isSym(";") { p += 1 } }
    func range(from start: SourceLocation) -> SourceRange { SourceRange(start, lastEnd) }

    func program() throws -> [Stmt] {
        var out: [Stmt] = []
        skipNewlines()
        while cur.kind != .end { out.append(try statement()); skipNewlines() }
        return out
    }

    func block() throws -> [Stmt] {
        try expect("{")
        var out: [Stmt] = []
        skipNewlines()
        while !isSym("}") { out.append(try statement()); skipNewlines() }
        try expect("}")
        return out
    }

    func params() throws -> [Parameter] {
        try expect("(")
        var out: [Parameter] = []
        while !isSym(")") {
            let t = next()
            guard case .name(let n) = t.kind else { throw TestParseError(description: "parameter name expected") }
            var d: Expr? = nil
            if isSym("=") { p += 1; d = try expr() }
            out.append(Parameter(name: n, defaultValue: d, range: range(from: t.range.start)))
            if isSym(",") { p += 1 }
        }
        try expect(")")
        return out
    }

    func statement() throws -> Stmt {
        let start = cur.range.start
        if isName("fn") {
            p += 1
            guard case .name(let n) = next().kind else { throw TestParseError(description: "fn name") }
            let ps = try params()
            let b = try block()
            return Stmt(.function(name: n, ps, body: b), range(from: start))
        }
        if isName("if") { return try ifStatement() }
        if isName("for") {
            p += 1
            guard case .name(let v) = next().kind else { throw TestParseError(description: "for variable") }
            try expect("in")
            let it = try expr()
            let b = try block()
            return Stmt(.forIn(variable: v, iterable: it, body: b), range(from: start))
        }
        if isName("while") {
            p += 1
            let c = try expr()
            let b = try block()
            return Stmt(.whileLoop(condition: c, body: b), range(from: start))
        }
        if isName("nograd") { p += 1; let b = try block(); return Stmt(.nograd(b), range(from: start)) }
        if isName("break") { p += 1; return Stmt(.breakLoop, range(from: start)) }
        if isName("continue") { p += 1; return Stmt(.continueLoop, range(from: start)) }
        if isName("return") {
            p += 1
            if cur.kind == .newline || isSym("}") || isSym(";") || cur.kind == .end { return Stmt(.returnValue(nil), range(from: start)) }
            return Stmt(.returnValue(try expr()), range(from: start))
        }
        let e = try expr()
        if isSym("=") {
            p += 1
            let v = try expr()
            if case .call(let callee, let args) = e.kind, case .name(let n) = callee.kind {
                let ps = try args.map { a -> Parameter in
                    if let l = a.label { return Parameter(name: l, defaultValue: a.value, range: a.range) }
                    guard case .name(let pn) = a.value.kind else { throw TestParseError(description: "bad parameter") }
                    return Parameter(name: pn, defaultValue: nil, range: a.range)
                }
                return Stmt(.define(name: n, ps, body: v), range(from: start))
            }
            return Stmt(.assign(target: e, value: v), range(from: start))
        }
        for (sym, op) in [("+=", BinaryOperator.add), ("-=", .subtract), ("*=", .multiply), ("/=", .divide)] where isSym(sym) {
            p += 1
            let v = try expr()
            return Stmt(.compoundAssign(target: e, op, value: v), range(from: start))
        }
        return Stmt(.expression(e), range(from: start))
    }

    func ifStatement() throws -> Stmt {
        let start = cur.range.start
        try expect("if")
        let c = try expr()
        let then = try block()
        var otherwise: [Stmt]? = nil
        if isName("else") {
            p += 1
            otherwise = isName("if") ? [try ifStatement()] : try block()
        }
        return Stmt(.ifElse(condition: c, then: then, otherwise: otherwise), range(from: start))
    }

    // Expressions, loosest first.
    func expr() throws -> Expr {
        let start = cur.range.start
        if case .name(let n) = cur.kind, !TestParser.keywords.contains(n), tokens[p + 1].kind == .symbol("->") {
            let t = next(); p += 1
            let body = try expr()
            return Expr(.lambda([Parameter(name: n, defaultValue: nil, range: t.range)], body), range(from: start))
        }
        if isSym("("), let close = matchingParen(p), tokens[close + 1].kind == .symbol("->") {
            let ps = try params()
            try expect("->")
            let body = try expr()
            return Expr(.lambda(ps, body), range(from: start))
        }
        return try binaryLevel(0)
    }

    func matchingParen(_ at: Int) -> Int? {
        var d = 0
        for i in at..<tokens.count {
            if tokens[i].kind == .symbol("(") { d += 1 }
            if tokens[i].kind == .symbol(")") { d -= 1; if d == 0 { return i } }
        }
        return nil
    }

    static let levels: [[String]] = [["|>"], [">>"], ["or"], ["and"], ["==", "!=", "<", "<=", ">", ">="], [".."], ["+", "-"], ["*", "/", "%"], ["@"]]

    func currentOperator(_ level: Int) -> String? {
        let ops = TestParser.levels[level]
        switch cur.kind {
        case .symbol(let s) where ops.contains(s): return s
        case .name(let s) where ops.contains(s): return s
        default: return nil
        }
    }

    func binaryLevel(_ level: Int) throws -> Expr {
        if level == TestParser.levels.count { return try unary() }
        if level == 4, isName("not") {
            // `not` binds looser than comparison, tighter than `and`.
            let start = cur.range.start
            p += 1
            let operand = try binaryLevel(level)
            return Expr(.unary(.not, operand), range(from: start))
        }
        let start = cur.range.start
        var lhs = try binaryLevel(level + 1)
        while let op = currentOperator(level) {
            p += 1
            skipNewlines()
            let rhs = try binaryLevel(level + 1)
            if op == ".." { lhs = Expr(.range(lhs, rhs), range(from: start)); continue }
            guard let bop = BinaryOperator(rawValue: op) else { throw TestParseError(description: "op \(op)") }
            lhs = Expr(.binary(bop, lhs, rhs), range(from: start))
        }
        return lhs
    }

    func unary() throws -> Expr {
        let start = cur.range.start
        if isSym("-") {
            p += 1
            let operand = try unary()
            return Expr(.unary(.negate, operand), range(from: start))
        }
        return try power()
    }

    func power() throws -> Expr {
        let start = cur.range.start
        let base = try postfix()
        if isSym("^") {
            p += 1
            let exponent = try unary()
            return Expr(.binary(.power, base, exponent), range(from: start))
        }
        return base
    }

    func postfix() throws -> Expr {
        let start = cur.range.start
        var e = try primary()
        while true {
            if isSym("(") {
                p += 1
                var args: [Argument] = []
                while !isSym(")") {
                    let aStart = cur.range.start
                    if case .name(let l) = cur.kind, tokens[p + 1].kind == .symbol("=") {
                        p += 2
                        let v = try expr()
                        args.append(Argument(label: l, value: v, range: range(from: aStart)))
                    } else {
                        let v = try expr()
                        args.append(Argument(label: nil, value: v, range: v.range))
                    }
                    if isSym(",") { p += 1 }
                }
                try expect(")")
                e = Expr(.call(e, args), range(from: start))
            } else if isSym("[") {
                p += 1
                var subs: [Subscript] = []
                while !isSym("]") {
                    let sStart = cur.range.start
                    var first: Expr? = nil
                    if !isSym(":") { first = try expr() }
                    if isSym(":") {
                        p += 1
                        var end: Expr? = nil, step: Expr? = nil
                        if !isSym(",") && !isSym("]") && !isSym(":") { end = try expr() }
                        if isSym(":") { p += 1; if !isSym(",") && !isSym("]") { step = try expr() } }
                        subs.append(.slice(start: first, end: end, step: step, range: range(from: sStart)))
                    } else if let first {
                        subs.append(.index(first))
                    }
                    if isSym(",") { p += 1 }
                }
                try expect("]")
                e = Expr(.index(e, subs), range(from: start))
            } else if isSym(".") {
                p += 1
                let t = next()
                guard case .name(let n) = t.kind else { throw TestParseError(description: "field name") }
                e = Expr(.field(e, n, nameRange: t.range), range(from: start))
            } else {
                return e
            }
        }
    }

    func primary() throws -> Expr {
        let t = cur
        let start = t.range.start
        switch t.kind {
        case .number(let x): p += 1; return Expr(.number(x), t.range)
        case .string(let s): p += 1; return Expr(.string(s), t.range)
        case .name("true"): p += 1; return Expr(.bool(true), t.range)
        case .name("false"): p += 1; return Expr(.bool(false), t.range)
        case .name("none"): p += 1; return Expr(.none, t.range)
        case .name("time"):
            p += 1
            let b = try block()
            return Expr(.time(b), range(from: start))
        case .name(let n) where !TestParser.keywords.contains(n): p += 1; return Expr(.name(n), t.range)
        case .symbol("("):
            p += 1
            let e = try expr()
            try expect(")")
            return Expr(e.kind, range(from: start))
        case .symbol("["):
            p += 1
            var items: [Expr] = []
            while !isSym("]") { items.append(try expr()); if isSym(",") { p += 1 } }
            try expect("]")
            return Expr(.list(items), range(from: start))
        default:
            throw TestParseError(description: "unexpected \(t.kind) at \(t.range)")
        }
    }
}

/// Parses a snippet with the test parser.
func mapl(_ source: String) throws -> Program {
    Program(statements: try TestParser(source).program(), source: source)
}

/// A fresh interpreter whose printed output is collected.
final class Session {
    let interpreter = Interpreter()
    var printed: [String] = []
    init() { interpreter.output = { [unowned self] in self.printed.append($0) } }

    /// Runs source and returns what the prompt would echo.
    @discardableResult
    func run(_ source: String) throws -> Value? { try interpreter.run(try mapl(source)) }

    /// Runs source and returns the echo as printed text ("" when nothing is echoed).
    func echo(_ source: String) throws -> String { try run(source).map { interpreter.printer.repr($0) } ?? "" }

    /// The error source raises (failing the test if it runs).
    func error(_ source: String, file: StaticString = #filePath, line: UInt = #line) -> MaplError? {
        do { try run(source); XCTFail("expected an error", file: file, line: line); return nil }
        catch let e as MaplError { return e }
        catch { XCTFail("unexpected error \(error)", file: file, line: line); return nil }
    }

    func tensor(_ name: String) -> Tensor? { interpreter.lookup(name)?.variable?.value }
    func number(_ name: String) -> Double? { if case .number(let x)? = interpreter.lookup(name) { return x }; return nil }
}

final class InterpreterTestParserTests: XCTestCase {
    func testParserPrecedenceMatchesTheContract() throws {
        let s = Session()
        XCTAssertEqual(try s.echo("2^3^2"), "512")            // right-associative
        XCTAssertEqual(try s.echo("-2^2"), "-4")              // ^ binds tighter than unary minus
        XCTAssertEqual(try s.echo("1 + 2 * 3"), "7")
    }
}
