import XCTest
import Foundation

/// The notebook's journal seen from outside: two notebooks started together write their own, and
/// `:save FILE.jsonl` saves this session's.
final class JournalE2ETests: XCTestCase {
    private func folder() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("journal-e2e-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Two notebooks started in the same second (HOME shared, no MAPL_JOURNAL) keep one journal each; each
    /// `:save x.jsonl` holds its own cell and not the other's.
    func testTwoNotebooksStartedTogetherKeepTheirOwnJournals() throws {
        let home = try folder()
        let env = ["MAPL_HISTORY": "history", "HOME": home]
        let a = try TmuxDriver(TmuxDriver.quote(TmuxDriver.mapl), width: 100, height: 30, directory: home, environment: env)
        let b = try TmuxDriver(TmuxDriver.quote(TmuxDriver.mapl), width: 100, height: 30, directory: home, environment: env)
        a.waitFor("[1]>"); b.waitFor("[1]>")
        try a.enter("print(\"from a\")"); a.waitFor("from a")
        try b.enter("print(\"from b\")"); b.waitFor("from b")
        try a.enter(":save a.jsonl"); a.waitFor("saved the journal")
        try b.enter(":save b.jsonl"); b.waitFor("saved the journal")
        let savedA = try String(contentsOfFile: home + "/a.jsonl", encoding: .utf8)
        let savedB = try String(contentsOfFile: home + "/b.jsonl", encoding: .utf8)
        XCTAssertTrue(savedA.contains("from a") && !savedA.contains("from b"), savedA)
        XCTAssertTrue(savedB.contains("from b") && !savedB.contains("from a"), savedB)
        let journals = try FileManager.default.contentsOfDirectory(atPath: home + "/.local/share/mapl/journal")
        XCTAssertEqual(journals.count, 2, "\(journals)")
    }

    /// `$MAPL_JOURNAL` keeps every session; `:save x.jsonl` writes only this one's.
    func testSaveWritesThisSessionsPartOfASharedJournal() throws {
        let dir = try folder()
        try (#"{"mapl":"events","version":1,"created":"x","source":null}"# + "\n" + #"{"event":"text","text":"an earlier session"}"# + "\n")
            .write(toFile: dir + "/journal.jsonl", atomically: true, encoding: .utf8)
        let t = try TmuxDriver(TmuxDriver.quote(TmuxDriver.mapl), width: 100, height: 30, directory: dir,
                               environment: ["MAPL_HISTORY": "history", "MAPL_JOURNAL": "journal.jsonl"])
        t.waitFor("[1]>")
        try t.enter("print(\"this session\")"); t.waitFor("this session")
        try t.enter(":save x.jsonl"); t.waitFor("saved the journal")
        let saved = try String(contentsOfFile: dir + "/x.jsonl", encoding: .utf8)
        XCTAssertTrue(saved.contains("this session"), saved)
        XCTAssertFalse(saved.contains("an earlier session"), saved)
        XCTAssertEqual(saved.components(separatedBy: "\"mapl\":\"events\"").count, 2, saved)
        XCTAssertTrue(try String(contentsOfFile: dir + "/journal.jsonl", encoding: .utf8).contains("an earlier session"))
    }
}
