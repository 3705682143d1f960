import XCTest
import Foundation
@testable import MaplLang
import MaplRuntime
@testable import MaplNotebook

/// Runs cells through a real session and collects their events, as the notebook's front end does.
final class SessionDriver {
    let session: Session
    init(snapshots: SnapshotRequest? = nil) {
        session = Session()
        if let snapshots { session.setSnapshots(snapshots) }
    }
    deinit { session.shutdown() }

    /// Runs `source` as one cell; its events up to and including `cellEnded`.
    func run(_ source: String, timeout: Double = 120, file: StaticString = #filePath, line: UInt = #line) -> [DisplayEvent] {
        session.submit(source)
        return events(timeout: timeout, file: file, line: line)
    }

    /// The events of the cell submitted last (a request too), up to and including its `cellEnded`.
    func events(timeout: Double = 120, file: StaticString = #filePath, line: UInt = #line) -> [DisplayEvent] {
        var out: [DisplayEvent] = []
        let deadline = Date(timeIntervalSinceNow: timeout)
        while Date() < deadline {
            for e in session.events.wait(timeout: 0.5) {
                out.append(e)
                if case .cellEnded = e { return out }
            }
        }
        XCTFail("no cellEnded within \(timeout) s", file: file, line: line)
        return out
    }
}

extension Frame {
    /// The screen as text, one string per row.
    var text: [String] { grid.lines }
    /// Every row joined, for "contains" checks.
    var joined: String { grid.lines.joined(separator: "\n") }

    /// The first (row, column) where `s` stands, columns counted in cells.
    func position(of s: String) -> (row: Int, column: Int)? {
        for (y, line) in grid.lines.enumerated() {
            // Cells hold one character each ("" for the right half of a wide one), so rebuild the row with
            // a column index per character.
            var columns: [Int] = []
            var rowText = ""
            for x in 0..<grid.width where !grid[x, y].text.isEmpty {
                rowText += grid[x, y].text
                columns.append(contentsOf: Array(repeating: x, count: grid[x, y].text.count))
            }
            if let r = rowText.range(of: s) {
                _ = line
                return (y, columns[rowText.distance(from: rowText.startIndex, to: r.lowerBound)])
            }
        }
        return nil
    }

    /// Prints the frame (for looking at a failing test's screen).
    func dump(to path: String = "/tmp/mapl-frames.txt") {
        let text = grid.lines.map { "|" + $0 + "|" }.joined(separator: "\n") + "\ncursor \(String(describing: cursor))\n\n"
        if let h = FileHandle(forWritingAtPath: path) { h.seekToEndOfFile(); h.write(text.data(using: .utf8)!); h.closeFile() }
        else { _ = FileManager.default.createFile(atPath: path, contents: text.data(using: .utf8)) }
    }
}

/// Events built by hand for a fit of `epochs` epochs of `batches` batches.
enum FakeFit {
    static func events(epochs: Int, batches: Int, upTo: (epoch: Int, batch: Int)? = nil, validation: Bool = true) -> [DisplayEvent] {
        var out: [DisplayEvent] = [.training(.fitStarted(FitStarted(model: "flatten >> dense(784, 10)", epochs: epochs, batchesPerEpoch: batches,
                                                                    batchSize: 64, samples: batches * 64, validationSamples: 100, loss: "cross_entropy")))]
        var losses: [Double] = [], vals: [Double] = []
        for e in 1...epochs {
            for b in 1...batches {
                if let stop = upTo, (e, b) > (stop.epoch, stop.batch) { return out }
                let loss = 2.3 * exp(-Double((e - 1) * batches + b) / Double(batches))
                out.append(.training(.batch(BatchProgress(epoch: e, epochs: epochs, batch: b, batchesPerEpoch: batches, loss: loss,
                                                          accuracy: 0.9, samplesPerSecond: 41_000, eta: 3))))
            }
            losses.append(2.3 * exp(-Double(e)))
            vals.append(2.4 * exp(-Double(e)))
            out.append(.training(.epoch(EpochProgress(epoch: e, epochs: epochs, loss: losses, valLoss: validation ? vals : [],
                                                      valAccuracy: validation ? vals.map { 1 - $0 } : [], accuracy: 0.9, seconds: 1.5, stoppedEarly: false))))
        }
        out.append(.training(.fitEnded(FitEnded(reason: .finished, epochsCompleted: epochs, batches: epochs * batches, bestEpoch: nil,
                                                patience: nil, modelState: "trained", seconds: 7))))
        return out
    }
}
