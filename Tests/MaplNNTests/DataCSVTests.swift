import XCTest
@testable import MaplNN

/// CSV parsing: label column, class detection, regression targets and error messages with line numbers.
final class DataCSVTests: XCTestCase {
    func testClassesFromNamedColumn() throws {
        let d = try Dataset.csv(text: "a, species ,b\r\n1.5,2,-1\n\n0,0,3e2\n", label: "species")
        XCTAssertEqual(d.count, 2)
        XCTAssertEqual(try d.x, try Tensor(shape: [2, 2], scalars: [1.5, -1, 0, 300]))
        XCTAssertEqual(try d.y, Tensor([2, 0]))
        XCTAssertEqual(d.classes, 3)
    }

    func testRegressionFromLastColumn() throws {
        let d = try Dataset.csv(text: "x,\"price\"\n1,2.5\n2,-4\n")
        XCTAssertNil(d.classes)
        XCTAssertEqual(try d.y, try Tensor(shape: [2, 1], scalars: [2.5, -4]))
        XCTAssertEqual(try Dataset.csv(text: "x,y\n1,2\n", classification: false).targetShape, [1])
    }

    func testFromFile() throws {
        let path = NSTemporaryDirectory() + "csv-\(UUID().uuidString).csv"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "f1,f2,label\n0.5,1,1\n".write(toFile: path, atomically: true, encoding: .utf8)
        let d = try Dataset.csv(path, label: "label")
        XCTAssertEqual(try d.x, try Tensor(shape: [1, 2], scalars: [0.5, 1]))
    }

    func message(_ body: () throws -> Any) -> String {
        do { _ = try body(); return "no error" } catch { return "\(error)" }
    }

    func testErrorsNameLineAndColumn() {
        XCTAssertEqual(message { try Dataset.csv(text: "a,b\n1,2\n3\n", name: "d.csv") },
                       "'d.csv' line 3: expected 2 values (one per column), found 1")
        XCTAssertEqual(message { try Dataset.csv(text: "a,b\n1,2\n\n4,abc\n", name: "d.csv") },
                       "'d.csv' line 4, column 'b': 'abc' is not a number")
        XCTAssertEqual(message { try Dataset.csv(text: "a,b\n1,\n", name: "d.csv") },
                       "'d.csv' line 2, column 'b': an empty value is not a number")
        XCTAssertEqual(message { try Dataset.csv(text: "a,b\n1,2\n", name: "d.csv", label: "c") },
                       "'d.csv' has no column 'c'; its columns are 'a', 'b'")
        XCTAssertEqual(message { try Dataset.csv(text: "a,b\n", name: "d.csv") }, "'d.csv' has a header but no data rows")
        XCTAssertEqual(message { try Dataset.csv(text: "", name: "d.csv") }, "'d.csv' is empty: a CSV file needs a header row")
        XCTAssertEqual(message { try Dataset.csv(text: "a,b\n1,-1\n", name: "d.csv", classification: true) },
                       "'d.csv': label 'b' value -1.0 is not a class index (a non-negative integer)")
        XCTAssertTrue(message { try Dataset.csv("/nonexistent.csv") }.contains("no such file"))
    }

    /// Float("1\u{0}2") reads a C string and stopped at the NUL: the field was silently 1. A control byte in
    /// a numeric field is an error naming the line and the column (counted in characters, from 1).
    func testAStrayByteInANumberIsAnErrorNotATruncatedNumber() {
        XCTAssertEqual(message { try Dataset.csv(text: "a,b\n3,4\n5,1\u{0}2\n", name: "d.csv") },
                       "'d.csv' line 3, column 4 (in 'b'): the byte 0x00 cannot be part of a number")
        XCTAssertEqual(message { try Dataset.csv(text: "a,b\n1\u{7F},2\n", name: "d.csv") },
                       "'d.csv' line 2, column 2 (in 'a'): the byte 0x7F cannot be part of a number")
        XCTAssertEqual(message { try Dataset.csv(text: "a,b\n1,2\u{1B}[31m\n", name: "d.csv") },
                       "'d.csv' line 2, column 4 (in 'b'): the byte 0x1B cannot be part of a number")
    }
}
