import MaplEngine
/// The mapl parser: recursive descent for statements, a Pratt parser for expressions (Crafting Interpreters
/// style), producing `Program`/`Stmt`/`Expr`. Every failure is a `MaplError(.syntax)` at the offending token
/// saying what was expected.
///
/// Choices where the contract is silent:
/// - Comparisons associate left: `a < b < c` is `(a < b) < c`.
/// - `a..b` does not chain: `a..b..c` is an error.
/// - A lambda may start wherever an operand may, and its body reaches as far right as possible:
///   `xs |> x -> x + 1` is `xs |> (x -> (x + 1))`.
/// - `not` sits between `and` and the comparisons; `a + not b` needs parentheses.
/// - `time` followed by `{` is a timing block (`time` stays an ordinary name otherwise).
/// - `else` may start the line after the closing `}`; a `{` opening a block may start the next line.
/// - Recursion is capped at `maxDepth` nested parentheses/brackets/blocks/prefix operators, and no tree grows
///   taller than `maxHeight` (long `a + b + c + …` chains count), so nothing downstream overflows the stack.
///   Measured in a debug build, input at the nesting limit needs between 2 and 4 MB of stack: parse on the
///   main thread (8 MB) or on a `Thread` given `stackSize` ≥ 8 MB.
/// - A parenthesised expression keeps its inner node's kind; its range covers the parentheses.
public struct Parser {
    /// How deeply parentheses, brackets, blocks and prefix operators may nest.
    public static let maxDepth = 200
    /// How tall a statement's tree may grow, counting left-leaning chains like `a + b + c`.
    public static let maxHeight = 400

    var tokens: [Token]
    var current = 0
    var depth = 0
    /// Where the last real token ends: an error at or after it is "the input stopped too early".
    let contentEnd: Int
    /// Set when the error thrown was at the end of the input (see `isComplete`).
    var failedAtEnd = false

    init(tokens: [Token]) {
        self.tokens = tokens.isEmpty ? [Token(.eof, "", SourceRange(.start, .start))] : tokens
        contentEnd = tokens.last(where: { $0.kind != .newline && $0.kind != .eof })?.range.end.offset ?? 0
    }

    /// Parses a whole program or prompt entry.
    public static func parse(_ source: String) throws -> Program {
        var scanner = Scanner(source)
        let tokens = try scanner.scanTokens()
        // The syntax tree takes up to about 200 bytes a token (a node, its box, its range): it must fit too.
        do { try MemoryBudget.check(bytes: tokens.count * 200, what: "the syntax tree of \(tokens.count) tokens") } catch {
            throw MaplError(.runtime, "the program is too large to parse: \(error)", at: SourceRange(.start, .start))
        }
        var parser = Parser(tokens: tokens)
        return Program(statements: try parser.statements(), source: source)
    }

    /// Whether `source` is a finished entry: true when it parses, and also when it has a definite syntax error;
    /// false when it merely stops too early — inside an open `(`/`[`/`{`, after a binary operator, a comma, `=`,
    /// or a statement keyword still waiting for its parts — so the notebook should ask for another line.
    public static func isComplete(_ source: String) -> Bool {
        if case .incomplete = entry(source) { return false }
        return true
    }

    // MARK: Token stream

    var peek: Token { tokens[current] }
    func peek(_ ahead: Int) -> Token { tokens[min(current + ahead, tokens.count - 1)] }
    var previous: Token { tokens[max(current - 1, 0)] }
    var atEnd: Bool { peek.kind == .eof }

    @discardableResult
    mutating func advance() -> Token {
        let t = tokens[current]
        if current < tokens.count - 1 { current += 1 }
        return t
    }

    func check(_ s: Symbol) -> Bool { peek.isSymbol(s) }
    func check(_ k: Keyword) -> Bool { peek.isKeyword(k) }

    mutating func match(_ s: Symbol) -> Bool {
        if check(s) { advance(); return true }
        return false
    }

    mutating func expect(_ s: Symbol, _ message: String) throws -> Token {
        if check(s) { return advance() }
        throw fail(message, at: peek)
    }

    /// The error to throw at `token`; notes whether the input simply ended there.
    mutating func fail(_ message: String, at token: Token) -> MaplError {
        failedAtEnd = (token.kind == .eof || token.kind == .newline) && token.range.start.offset >= contentEnd
        return MaplError(.syntax, message, at: token.range)
    }

    mutating func fail(_ message: String, range: SourceRange) -> MaplError {
        failedAtEnd = false
        return MaplError(.syntax, message, at: range)
    }

    /// Goes one nesting level deeper (pair with `depth -= 1` in a `defer`), refusing to pass `maxDepth`.
    /// A block keeps one level in reserve for its own condition, so deep blocks are reported as blocks.
    mutating func enter(at token: Token, block: Bool = false) throws {
        if depth >= Parser.maxDepth - (block ? 1 : 0) {
            throw fail("\(block ? "block" : "expression") nested too deeply", at: token)
        }
        depth += 1
    }

    /// Refuses a node taller than `maxHeight`.
    /// `chain`: the height grew by an operator after an operand (`1 + 1 + … + 1`), which is long, not nested.
    mutating func checkHeight(_ height: Int, at token: Token, chain: Bool = false) throws {
        guard height > Parser.maxHeight else { return }
        if chain {
            throw fail("expression too long: more than \(Parser.maxHeight) operations in one expression; split it over several statements (or use sum(...) over a list)", at: token)
        }
        throw fail("expression nested too deeply", at: token)
    }

    func range(from start: Token) -> SourceRange {
        SourceRange(start.range.start, Swift.max(previous.range.end, start.range.end))
    }

    static func location(_ t: Token) -> String { t.range.start.description }
}
