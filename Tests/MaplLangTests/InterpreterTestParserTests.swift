import XCTest
@testable import MaplLang
import MaplNN

// The helpers the interpreter's tests share: `mapl(_:)` parses a snippet with the real parser and `Session`
// is one interpreter whose printed output is collected.

/// Parses a snippet with the language's parser.
func mapl(_ source: String) throws -> Program {
    try Parser.parse(source)
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
