import XCTest
@testable import MaplLang
import MaplNN

/// A session run through the real parser, collecting what it prints — for the seeing, trace, conformance
/// and bad-input tests.
final class ParsedSession {
    let interpreter = Interpreter()
    var printed: [String] = []
    init() { interpreter.output = { [unowned self] in self.printed.append(contentsOf: $0.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)) } }

    @discardableResult
    func run(_ source: String) throws -> Value? { try interpreter.run(try Parser.parse(source)) }

    /// Runs `source` and returns the lines it printed (forgetting earlier ones).
    func lines(_ source: String) throws -> [String] {
        printed = []
        try run(source)
        return printed
    }

    func variable(_ name: String) -> Variable? { interpreter.lookup(name)?.variable }

    /// The MaplError `source` raises (failing the test if it runs or throws something else).
    func error(_ source: String, file: StaticString = #filePath, line: UInt = #line) -> MaplError? {
        do { try run(source); XCTFail("expected an error", file: file, line: line); return nil }
        catch let e as MaplError { return e }
        catch { XCTFail("unexpected error \(error)", file: file, line: line); return nil }
    }
}
