import XCTest
@testable import MaplLang

/// Tree shapes, written by hand from the precedence table in LANGUAGE.md and compared as S-expressions.
final class ParserTests: XCTestCase {
    private func tree(_ source: String, file: StaticString = #filePath, line: UInt = #line) -> String {
        do { return try Parser.parse(source).debugDescription } catch {
            XCTFail("\(source) failed to parse: \(error)", file: file, line: line)
            return ""
        }
    }

    private func check(_ source: String, _ expected: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(tree(source, file: file, line: line), expected, source, file: file, line: line)
    }

    func testLiterals() {
        check("1", "1")
        check("2.5", "2.5")
        check(".5", "0.5")
        check("1e-3", "0.001")
        check("\"a\\tb\"", "\"a\\tb\"")
        check("true; false; none", "true\nfalse\nnone")
        check("[]", "(list)")
        check("[1, [2, 3],]", "(list 1 (list 2 3))")
    }

    func testPipeComposeAndLambdas() {
        check("a |> f >> g", "(|> a (>> f g))")
        check("a |> f |> g", "(|> (|> a f) g)")
        check("f >> g >> h", "(>> (>> f g) h)")
        check("x -> x + 1", "(-> (x) (+ x 1))")
        check("(a, b) -> a*b", "(-> (a b) (* a b))")
        check("() -> 1", "(-> () 1)")
        check("(a,) -> a", "(-> (a) a)")
        check("x -> y -> x + y", "(-> (x) (-> (y) (+ x y)))")
        check("xs |> x -> x * 2", "(|> xs (-> (x) (* x 2)))")
        check("f = x -> x |> g", "(= f (-> (x) (|> x g)))")
        check("(a) + 1", "(+ a 1)")
        check("map(xs, x -> x^2)", "(call map xs (-> (x) (^ x 2)))")
    }

    func testLogicAndComparison() {
        check("a or b and c", "(or a (and b c))")
        check("a and b or c", "(or (and a b) c)")
        check("not a == b", "(not (== a b))")
        check("not a and b", "(and (not a) b)")
        check("not not a", "(not (not a))")
        check("a < b < c", "(< (< a b) c)")   // left-associative, documented in Parser
        check("a != b >= c", "(>= (!= a b) c)")
        check("a >= b <= c", "(<= (>= a b) c)")
        check("f >> g == h", "(>> f (== g h))")
        check("a or b |> f", "(|> (or a b) f)")
    }

    func testRangeSitsBetweenComparisonAndAddition() {
        check("1..5", "(.. 1 5)")
        check("1..n + 1", "(.. 1 (+ n 1))")
        check("a + 1..b * 2", "(.. (+ a 1) (* b 2))")
        check("i == 1..3", "(== i (.. 1 3))")
    }

    func testArithmetic() {
        check("a + b * c", "(+ a (* b c))")
        check("a - b - c", "(- (- a b) c)")
        check("a / b % c * d", "(* (% (/ a b) c) d)")
        check("a + b @ c", "(+ a (@ b c))")
        check("a * b @ c", "(* a (@ b c))")
        check("a @ b @ c", "(@ (@ a b) c)")
        check("-a @ b", "(@ (- a) b)")
        check("a @ -b", "(@ a (- b))")
        check("a * -b", "(* a (- b))")
        check("-x * 2", "(* (- x) 2)")
        check("- - x", "(- (- x))")
    }

    func testPower() {
        check("-2^2", "(- (^ 2 2))")
        check("2^3^2", "(^ 2 (^ 3 2))")
        check("2^-1", "(^ 2 (- 1))")
        check("2^-x^2", "(^ 2 (- (^ x 2)))")
        check("a * b ^ c", "(* a (^ b c))")
        check("x.T^2", "(^ (. x T) 2)")
        check("f(x)^2", "(^ (call f x) 2)")
    }

    func testPostfix() {
        check("f(x)(y)", "(call (call f x) y)")
        check("m.layers[0].W", "(. (index (. m layers) 0) W)")
        check("x.T", "(. x T)")
        check("-x.T", "(- (. x T))")
        check("f(a, k=v)", "(call f a k=v)")
        check("f(a, b,)", "(call f a b)")
        check("f()", "(call f)")
        check("dense(784, 128, act=relu)", "(call dense 784 128 act=relu)")
        check("f(k = x -> x)", "(call f k=(-> (x) x))")
    }

    func testSlices() {
        check("x[i, a:b, :, ::2, -1]", "(index x i (slice a b _) (slice _ _ _) (slice _ _ 2) (- 1))")
        check("x[1:]", "(index x (slice 1 _ _))")
        check("x[:3]", "(index x (slice _ 3 _))")
        check("x[1:10:2]", "(index x (slice 1 10 2))")
        check("x[::-1]", "(index x (slice _ _ (- 1)))")
        check("x[:, j]", "(index x (slice _ _ _) j)")
        check("x[i][j]", "(index (index x i) j)")
        check("x[a + 1 : b]", "(index x (slice (+ a 1) b _))")
    }

    func testAssignments() {
        check("x = [[0.5, 0.1]]", "(= x (list (list 0.5 0.1)))")
        check("W[0, 1] = 0.4", "(= (index W 0 1) 0.4)")
        check("W -= 0.1 * W.grad", "(-= W (* 0.1 (. W grad)))")
        check("m.layers[0].b *= 0", "(*= (. (index (. m layers) 0) b) 0)")
        check("x += 1; y /= 2", "(+= x 1)\n(/= y 2)")
        check("a = b == c", "(= a (== b c))")
    }

    func testDefinitions() {
        check("f(x) = x^2 + 1", "(define f (x) (+ (^ x 2) 1))")
        check("g(x, y, lr=0.1) = x - lr * y", "(define g (x y lr=0.1) (- x (* lr y)))")
        check("h() = 3", "(define h () 3)")
        check("fn area(w, h) {\n  return w * h\n}", "(fn area (w h) (block (return (* w h))))")
        check("fn step(lr=0.1) { }", "(fn step (lr=0.1) (block))")
        check("fn f(x)\n{\n x\n}", "(fn f (x) (block x))")
    }

    func testControlFlow() {
        check("if loss < 0.1 { print(\"done\") } else if loss < 1 { print(\"close\") } else { print(\"far\") }",
              "(if (< loss 0.1) (block (call print \"done\")) (block (if (< loss 1) (block (call print \"close\")) (block (call print \"far\")))))")
        check("if a { x }\nelse { y }", "(if a (block x) (block y))")
        check("if a { x }\n\nelse if b { y }", "(if a (block x) (block (if b (block y))))")
        check("if a { x }\ny", "(if a (block x))\ny")
        check("for epoch in 1..5 { t += epoch }", "(for epoch (.. 1 5) (block (+= t epoch)))")
        check("while t < 10 { t += 1 }", "(while (< t 10) (block (+= t 1)))")
        check("nograd { y = model(x) }", "(nograd (block (= y (call model x))))")
        check("for x in xs { if x { break } else { continue } }", "(for x xs (block (if x (block (break)) (block (continue)))))")
        check("fn f() { return }", "(fn f () (block (return)))")
        check("fn f() { return; }", "(fn f () (block (return)))")
        check("t = time { train(m) }", "(= t (time (call train m)))")
        check("time = 3; time + 1", "(= time 3)\n(+ time 1)")
    }

    func testMultiLineInput() {
        check("f(a,\n  b)", "(call f a b)")
        check("x = [1,\n 2,\n 3]", "(= x (list 1 2 3))")
        check("y = a +\n  b", "(= y (+ a b))")
        check("model = flatten >>\n  dense(784, 10) >>\n  relu", "(= model (>> (>> flatten (call dense 784 10)) relu))")
        check("(a\n + b)", "(+ a b)")
        check("a = 1\n\n\nb = 2\n", "(= a 1)\n(= b 2)")
        check("x = 1 # comment\n# whole line\ny = 2", "(= x 1)\n(= y 2)")
        check("fn f(x) {\n  y = x\n\n  y * 2\n}", "(fn f (x) (block (= y x) (* y 2)))")
        check("f(time {\n a\n b\n})", "(call f (time a b))")
        check("if a and\n b { c }", "(if (and a b) (block c))")
        check("x = 1; y = 2;", "(= x 1)\n(= y 2)")
        check("x = 1\r\ny = 2", "(= x 1)\n(= y 2)")
    }

    func testRanges() throws {
        let program = try Parser.parse("y = foo(a, k=v)")
        guard case .assign(let target, let value) = program.statements[0].kind,
              case .call(_, let args) = value.kind else { return XCTFail("wrong shape") }
        XCTAssertEqual(target.range.start.column, 1)
        XCTAssertEqual(value.range.start.column, 5)
        XCTAssertEqual(value.range.end.column, 16)   // exclusive: just past ')'
        XCTAssertEqual(args[1].range.start.column, 12)
        XCTAssertEqual(args[1].range.end.column, 15)
        XCTAssertEqual(program.statements[0].range.end.column, 16)

        let fieldProgram = try Parser.parse("m.layers")
        guard case .expression(let e) = fieldProgram.statements[0].kind, case .field(_, _, let nameRange) = e.kind else {
            return XCTFail("wrong shape")
        }
        XCTAssertEqual(nameRange.start.column, 3)
        XCTAssertEqual(nameRange.end.column, 9)

        let define = try Parser.parse("fn f(x, lr=0.1) {\n x\n}")
        guard case .function(_, let params, _) = define.statements[0].kind else { return XCTFail("wrong shape") }
        XCTAssertEqual(params[1].range.start.column, 9)
        XCTAssertEqual(params[1].range.end.column, 15)
        XCTAssertEqual(define.statements[0].range.end.line, 3)
    }

    func testDeepButAllowedNesting() {
        let source = String(repeating: "(", count: 150) + "1" + String(repeating: ")", count: 150)
        check(source, "1")
    }

    /// A long list of plain numbers is one node (a tensor's numbers, 4 bytes each), read as the short form
    /// is: signs, fractions, exponents, line breaks and a trailing comma. Anything else in it — a name, an
    /// operator, a comment — and it is parsed element by element, as before.
    func testALongListOfNumbersIsOneNodeWithTheSameNumbers() throws {
        let numbers = (0..<300).map { i in ["\(i)", "-\(i).5", "\(i)e-3", ".25", "-0"][i % 5] }
        let source = "[" + numbers.joined(separator: ",\n  ") + ",]"
        guard case .expression(let e)? = try Parser.parse(source).statements.first?.kind, case .numbers(let values) = e.kind else {
            return XCTFail("not one list of numbers: \(try Parser.parse(source).debugDescription.prefix(80))")
        }
        XCTAssertEqual(values, numbers.map { Float(Double($0)!) })
        XCTAssertEqual(values[1].bitPattern, Float(-1.5).bitPattern)
        XCTAssertEqual(values[4].sign, .minus)
        XCTAssertEqual(e.range.start.column, 1)
        XCTAssertEqual(e.range.end.line, 300)
        // Not plain numbers: element by element.
        for other in ["1 + 2", "x", "1 # note\n", "(3)", "2^2", "1..2", "--1"] {
            let mixed = "[" + numbers.dropLast().joined(separator: ", ") + ", " + other + "]"
            guard case .expression(let m)? = try Parser.parse(mixed).statements.first?.kind, case .list(let items) = m.kind else {
                return XCTFail("\(other): not a list")
            }
            XCTAssertEqual(items.count, 300, other)
        }
        // A subscript with many indices stays a subscript.
        guard case .expression(let i)? = try Parser.parse("x" + source).statements.first?.kind, case .index(_, let subs) = i.kind else {
            return XCTFail("x[…] is no longer an index")
        }
        XCTAssertEqual(subs.count, 300)
        // A malformed number is reported where it is, as in a short list.
        let bad = "[" + numbers.joined(separator: ", ") + ", 1.2.3]"
        XCTAssertThrowsError(try Parser.parse(bad)) { XCTAssertTrue("\($0)".contains("malformed number '1.2.3'"), "\($0)") }
    }
}
