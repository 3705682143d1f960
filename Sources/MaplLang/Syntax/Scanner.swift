import MaplEngine

/// Turns source text into tokens (Crafting Interpreters' scanner). It walks the text Character by Character, so
/// a column is the number of characters before it on its line plus one, and no index can fall inside a
/// character. It walks the String itself rather than an array of its Characters (16 bytes each: a 20 MB
/// program took 320 MB before a token was made).
///
/// Line breaks become `.newline` tokens only where they end a statement: not inside `()` or `[]` (inside `{}`
/// they do separate statements, even when the braces sit inside parentheses), not after a binary operator,
/// `=`-style assignment, `->`, `.`, a comma or a keyword that needs an operand, and never twice in a row.
public struct Scanner {
    private let source: String
    /// Where the scan is in `source`; `index` counts the Characters before it.
    private var position: String.Index
    /// Where the token being scanned starts.
    private var tokenStart: String.Index
    private var tokens: [Token] = []
    private var index = 0
    private var line = 1
    private var column = 1
    /// Open brackets, so line breaks inside `()` and `[]` can be dropped.
    private var brackets: [Symbol] = []

    /// Prepares to scan `source`.
    public init(_ source: String) { self.source = source; position = source.startIndex; tokenStart = source.startIndex }

    /// All tokens of the source, ending with `.eof`. Throws `MaplError(.syntax)` for a character that starts no
    /// token, an unterminated string (at its opening quote), an unknown escape (at its backslash) or a malformed
    /// number.
    public mutating func scanTokens() throws -> [Token] {
        tokens = []; index = 0; line = 1; column = 1; brackets = []; position = source.startIndex; nextCheck = 0; budgetFailure = nil
        // A literal's value and text take its bytes twice more (with a String's growth, four): a program of
        // many megabytes must fit before it is taken apart.
        try budget(source.utf8.count * 4, "the program's \(source.utf8.count) bytes")
        while position < source.endIndex {
            if index >= nextCheck { nextCheck = index + 0x10000; try checkCancel() }
            try scanToken()
        }
        try checkCancel()
        let here = location
        tokens.append(Token(.eof, "", SourceRange(here, here)))
        return tokens
    }

    private var location: SourceLocation { SourceLocation(line: line, column: column, offset: index) }

    private func peek(_ ahead: Int = 0) -> Character? {
        var i = position
        for _ in 0..<ahead {
            guard i < source.endIndex else { return nil }
            i = character(at: i).next
        }
        return i < source.endIndex ? character(at: i).character : nil
    }

    /// The Character at `i` and where the next one starts. An ASCII byte followed by another (or the end) is a
    /// Character of its own — except CR, which joins a following LF — so most text needs no grapheme breaking.
    @inline(__always)
    private func character(at i: String.Index) -> (character: Character, next: String.Index) {
        let utf8 = source.utf8
        let byte = utf8[i]
        if byte < 0x80 && byte != 0x0D {
            let next = utf8.index(after: i)
            if next == utf8.endIndex || utf8[next] < 0x80 { return (Character(Unicode.Scalar(byte)), next) }
        }
        return (source[i], source.index(after: i))
    }

    private static func isNewline(_ c: Character) -> Bool { c.isLineBreak }
    private static func isDigit(_ c: Character?) -> Bool { c.map { $0.isASCII && $0.isNumber } ?? false }
    private static func isNameStart(_ c: Character?) -> Bool { c.map { $0 == "_" || $0.isLetter } ?? false }
    private static func isNamePart(_ c: Character?) -> Bool { isNameStart(c) || isDigit(c) }

    /// Consumes one character, keeping line and column up to date.
    @discardableResult
    private mutating func advance() -> Character {
        let (c, next) = character(at: position)
        position = next
        index += 1
        if Scanner.isNewline(c) { line += 1; column = 1 } else { column += 1 }
        return c
    }

    private mutating func match(_ c: Character) -> Bool {
        if peek() == c { advance(); return true }
        return false
    }

    private mutating func add(_ kind: TokenKind, from start: SourceLocation, text: String? = nil) {
        append(Token(kind, text ?? String(source[tokenStart..<position]), SourceRange(start, location)))
    }

    /// Appends a token once there is room: the tokens of a huge program grow only within the memory budget
    /// (a failed allocation would end the process). Past it, tokens are dropped and the scan's next check
    /// reports where.
    private mutating func append(_ token: Token) {
        guard budgetFailure == nil else { return }
        if tokens.count == tokens.capacity, tokens.count >= 1 << 16,
           (try? budget(tokens.count * 2 * MemoryLayout<Token>.stride, "the program's tokens")) == nil {
            budgetFailure = token.range
            return
        }
        tokens.append(token)
    }

    /// Where a token found the memory budget exhausted; `scanTokens` reports it.
    private var budgetFailure: SourceRange?
    /// The character count at which the scan next looks at Ctrl-C and the budget.
    private var nextCheck = 0

    /// Throws a positioned error unless `bytes` more can be allocated.
    private func budget(_ bytes: Int, _ what: String) throws {
        do { try MemoryBudget.check(bytes: bytes, what: what) } catch {
            throw MaplError(.runtime, "the program is too large to parse: \(error)", at: SourceRange(location, location))
        }
    }

    /// Ctrl-C while a huge program is scanned: the session's stop flag is honoured here too.
    private func checkCancel() throws {
        if let flag = StopFlag.current, flag.isRequested {
            flag.clear()
            throw MaplError(.interrupted, "stopped by the user", at: SourceRange(location, location))
        }
        if let at = budgetFailure { throw MaplError(.runtime, "the program is too large to parse: its tokens do not fit in memory", at: at) }
    }

    private func error(_ message: String, from start: SourceLocation, width: Int = 1) -> MaplError {
        MaplError(.syntax, message, at: SourceRange(start, SourceLocation(line: start.line, column: start.column + width, offset: start.offset + width)))
    }

    private mutating func scanToken() throws {
        let start = location
        tokenStart = position
        let c = advance()
        switch c {
        case " ", "\t": break
        case "#":
            while let next = peek(), !Scanner.isNewline(next) { advance() }
        case _ where Scanner.isNewline(c):
            if newlineEndsStatement {
                append(Token(.newline, "\n", SourceRange(start, location)))
            }
        case "(": open(.leftParen, start)
        case "[":
            if !lastEndsAnOperand, try numberList(start) { break }
            open(.leftBracket, start)
        case "{": open(.leftBrace, start)
        case ")": close(.rightParen, start)
        case "]": close(.rightBracket, start)
        case "}": close(.rightBrace, start)
        case ",": symbol(.comma, start)
        case ";": symbol(.semicolon, start)
        case ":": symbol(.colon, start)
        case "%": symbol(.percent, start)
        case "@": symbol(.at, start)
        case "^": symbol(.caret, start)
        case "+": symbol(match("=") ? .plusAssign : .plus, start)
        case "*":
            if peek() == "*" { throw error("'**' is not an operator; use '^' for powers", from: start, width: 2) }
            symbol(match("=") ? .starAssign : .star, start)
        case "/": symbol(match("=") ? .slashAssign : .slash, start)
        case "-": symbol(match(">") ? .arrow : match("=") ? .minusAssign : .minus, start)
        case "=": symbol(match("=") ? .equal : .assign, start)
        case "<": symbol(match("=") ? .lessEqual : .less, start)
        case ">": symbol(match("=") ? .greaterEqual : match(">") ? .compose : .greater, start)
        case "!":
            if match("=") { symbol(.notEqual, start) } else { throw error("unexpected '!'; use 'not' for negation", from: start) }
        case "|":
            if match(">") { symbol(.pipe, start) } else {
                throw error(peek() == "|" ? "unexpected '||'; use 'or'" : "unexpected '|'; did you mean '|>'?", from: start, width: peek() == "|" ? 2 : 1)
            }
        case "&":
            throw error(peek() == "&" ? "unexpected '&&'; use 'and'" : "unexpected '&'", from: start, width: peek() == "&" ? 2 : 1)
        case ".":
            if Scanner.isDigit(peek()) { try number(start) } else { symbol(match(".") ? .dotDot : .dot, start) }
        case "\"": try string(start)
        case _ where Scanner.isDigit(c): try number(start)
        case _ where Scanner.isNameStart(c): try name(start)
        default:
            throw error(CharacterNames.unexpected(c), from: start)
        }
    }

    /// A list literal this long, of plain numbers only, is one `.numbers` token: a data table pasted into
    /// a program (millions of numbers) then costs 4 bytes a number, not a token and a syntax node each.
    static let numberListMinimum = 256

    /// True when the last token can end an operand, so a `[` after it opens a subscript (`x[1, 2]`).
    private var lastEndsAnOperand: Bool {
        switch tokens.last?.kind {
        case .number?, .numbers?, .string?, .name?, .symbol(.rightParen)?, .symbol(.rightBracket)?, .symbol(.rightBrace)?: return true
        case .keyword(let k)?: return k == .true || k == .false || k == .none
        default: return false
        }
    }

    /// After `[`: `n, -n, …]` with at least `numberListMinimum` numbers (blanks, line breaks and a trailing
    /// comma allowed) becomes one `.numbers` token. Anything else — a name, an operator, a comment, a
    /// malformed number — rewinds and returns false; the ordinary scan then reads (or reports) it.
    private mutating func numberList(_ start: SourceLocation) throws -> Bool {
        let saved = (index, line, column, position)
        func blanks() { while let c = peek(), c == " " || c == "\t" || Scanner.isNewline(c) { advance() } }
        var values: [Float] = []
        blanks()
        while peek() != "]" {
            if values.count & 0xFFF == 0xFFF { try checkCancel() }
            let negative = peek() == "-"
            if negative { advance() }
            guard let x = plainNumber() else { (index, line, column, position) = saved; return false }
            values.append(Float(negative ? -x : x))
            blanks()
            if peek() == "," { advance(); blanks() } else if peek() != "]" { (index, line, column, position) = saved; return false }
        }
        guard values.count >= Scanner.numberListMinimum else { (index, line, column, position) = saved; return false }
        advance()   // ]
        add(.numbers(values), from: start, text: "[…]")
        return true
    }

    /// Consumes the digits, the fraction (unless the literal `startedAt` a `.`: `.5` has had it) and the
    /// exponent of a number literal; the one grammar both the tokens and the long number lists read.
    private mutating func digitsFractionExponent(startedAt first: String.Index) {
        while Scanner.isDigit(peek()) { advance() }
        if peek() == ".", Scanner.isDigit(peek(1)), source[first] != "." {
            advance()
            while Scanner.isDigit(peek()) { advance() }
        }
        if peek() == "e" || peek() == "E" {
            let signed = peek(1) == "+" || peek(1) == "-"
            if Scanner.isDigit(peek(signed ? 2 : 1)) {
                advance(); if signed { advance() }
                while Scanner.isDigit(peek()) { advance() }
            }
        }
    }

    /// A number literal at the current position when it is well formed and finite (consumed), else nil.
    private mutating func plainNumber() -> Double? {
        let first = position
        guard Scanner.isDigit(peek()) || (peek() == "." && Scanner.isDigit(peek(1))) else { return nil }
        if peek() == "." { advance() }
        digitsFractionExponent(startedAt: first)
        if Scanner.isNamePart(peek()) || peek() == "." { return nil }
        guard let value = Double(String(source[first..<position])), value.isFinite else { return nil }
        return value
    }

    /// A line break ends a statement unless it is inside `()`/`[]` or the previous token asks for more.
    private var newlineEndsStatement: Bool {
        if let top = brackets.last, top != .leftBrace { return false }
        guard let last = tokens.last else { return false }
        switch last.kind {
        case .newline: return false
        case .symbol(let s):
            switch s {
            case .rightParen, .rightBracket, .rightBrace, .leftBrace, .semicolon: return true
            default: return false   // operators, `,`, `=`, `->`, `.`, `..`, `:` all want an operand
            }
        case .keyword(let k):
            switch k {
            case .and, .or, .not, .in: return false
            default: return true
            }
        default: return true
        }
    }

    private mutating func symbol(_ s: Symbol, _ start: SourceLocation) { add(.symbol(s), from: start) }
    private mutating func open(_ s: Symbol, _ start: SourceLocation) { brackets.append(s); symbol(s, start) }
    private mutating func close(_ s: Symbol, _ start: SourceLocation) {
        // Mismatches are the parser's to report (it knows what was expected); here any closer pops.
        if !brackets.isEmpty { brackets.removeLast() }
        symbol(s, start)
    }

    /// `12`, `2.5`, `.5`, `1e-3`, `1.5E+3`. A `.` followed by `.` is a range (`1..5`), not a fraction.
    private mutating func number(_ start: SourceLocation) throws {
        digitsFractionExponent(startedAt: tokenStart)
        if Scanner.isNamePart(peek()) || (peek() == "." && Scanner.isDigit(peek(1))) {
            while Scanner.isNamePart(peek()) || peek() == "." && Scanner.isDigit(peek(1)) { advance() }
            let text = String(source[tokenStart..<position])
            throw error("malformed number '\(text)'", from: start, width: index - start.offset)
        }
        let text = String(source[tokenStart..<position])
        guard let value = Double(text), value.isFinite else {
            throw error("number '\(text)' is too large", from: start, width: index - start.offset)
        }
        add(.number(value), from: start)
    }

    /// `"..."` on one line, with `\n \t \" \\`.
    private mutating func string(_ start: SourceLocation) throws {
        var value = ""
        while true {
            guard let c = peek(), !Scanner.isNewline(c) else {
                throw error("unterminated string", from: start)
            }
            let here = location
            advance()
            if c == "\"" { break }
            if c == "\\" {
                guard let e = peek(), !Scanner.isNewline(e) else { throw error("unterminated string", from: start) }
                switch e {
                case "n": value.append("\n")
                case "t": value.append("\t")
                case "\"": value.append("\"")
                case "\\": value.append("\\")
                default:
                    throw error("unknown escape '\\\(e)' in a string; use \\n, \\t, \\\" or \\\\", from: here, width: 2)
                }
                advance()
            } else {
                value.append(c)
            }
        }
        add(.string(value), from: start)
    }

    private mutating func name(_ start: SourceLocation) throws {
        while Scanner.isNamePart(peek()) {
            // A zero-width joiner or similar mark joins the letter before it into one Character: the name
            // would look like another and differ from it.
            if let c = peek(), c.unicodeScalars.count > 1,
               let mark = c.unicodeScalars.first(where: { CharacterNames.isInvisible(Character($0)) }).map(Character.init) {
                throw error("invisible character (\(CharacterNames.codePoint(mark))) in a name; delete it", from: location)
            }
            advance()
        }
        let text = String(source[tokenStart..<position])
        add(Keyword(rawValue: text).map { .keyword($0) } ?? .name(text), from: start)
    }
}
