import XCTest
@testable import MaplNotebook

/// The prompt's history file: kept across runs, multi-line cells intact, never blocking start-up.
final class HistoryFileTests: XCTestCase {
    private func temp() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("history-\(UUID().uuidString)").path
    }

    func testCellsWithNewlinesAndBackslashesRoundTrip() {
        for cell in ["a = 1", "fn f(x) {\n  return x\n}", "print(\"a\\\\nb\")", "back\\slash\n"] {
            XCTAssertEqual(HistoryFile.unescape(HistoryFile.escape(cell)), cell)
            XCTAssertFalse(HistoryFile.escape(cell).contains("\n"), "one entry per line")
        }
    }

    func testADamagedFileIsReadAsFarAsItCanBeAndSaysWhatWasSkipped() throws {
        let path = temp()
        var bytes = Array("x = 1\n".utf8)
        bytes += [0xFF, 0xFE, 0x00, 0x41, 0x0A]           // not UTF-8, with a NUL
        bytes += Array("y = 2\n".utf8)
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        let warning = HistoryFile(path: path).load()
        XCTAssertEqual(warning, "history file \(path): 1 damaged line skipped")
    }

    func testAMissingFileIsNoProblemAndAnUnreadableOneOnlyWarns() throws {
        XCTAssertNil(HistoryFile(path: temp()).load())
        let dir = temp()
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        XCTAssertEqual(HistoryFile(path: dir).load(), "history file \(dir) is a folder, not a file; starting without history")
    }

    func testEntriesAreAppendedAsTheyAreEntered() throws {
        let path = temp() + "/sub/history"
        let h = HistoryFile(path: path)
        h.append("a = 1")
        h.append("fn g() {\n  1\n}")
        let text = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertEqual(text, "a = 1\nfn g() {\\n  1\\n}\n")
        XCTAssertEqual((try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int), 0o600)
    }

    /// A named pipe as the history file used to freeze the notebook (its open waits for a reader): it is
    /// refused with a warning, and entering a cell does not wait either.
    func testANamedPipeIsRefusedNotWaitedFor() throws {
        let path = temp()
        XCTAssertEqual(mkfifo(path, 0o600), 0)
        defer { unlink(path) }
        XCTAssertEqual(HistoryFile(path: path).load(), "history file \(path) is a named pipe, not a file; starting without history")
        HistoryFile(path: path).append("a = 1")   // returns at once
    }
}
