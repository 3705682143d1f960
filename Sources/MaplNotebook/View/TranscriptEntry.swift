import Foundation
import MaplCore
import MaplProtocol

/// One entry of the transcript: a numbered cell (its input, then its output in order) or a note from the
/// notebook. Output is capped: past `NotebookState.maxOutputLinesPerCell` lines the first half and the
/// newest half are kept and the middle is dropped, with a line saying how many.
public struct TranscriptEntry: Sendable {
    /// Unique among every entry of every state (see `Stamp`), so caches can key on it.
    public let id: Int
    /// The cell's number; nil for a note of the notebook's.
    public let number: Int?
    /// Changes whenever the entry's lines change (not when only the live progress line does).
    public private(set) var stamp: Int
    /// The live progress of a `fit` running in this cell, drawn as its last line.
    public internal(set) var progress: BatchProgress?
    /// How the cell ended; nil while it runs or waits.
    public internal(set) var end: CellEnd?
    /// True while the cell waits behind a running one (drawn with a "(queued)" row).
    public internal(set) var isQueued = false

    private var head: [TranscriptLine] = []
    private var headOutputs = 0
    private var tail: [TranscriptLine] = []
    private var tailStart = 0
    /// Output lines dropped between `head` and `tail`.
    public private(set) var dropped = 0
    private let cap: Int

    init(number: Int?, input: [String], cap: Int) {
        id = Stamp.next()
        stamp = id
        self.number = number
        self.cap = Swift.max(cap, 2)
        for (i, line) in input.enumerated() {
            head.append(TranscriptLine(line, kind: number == nil ? .note : (i == 0 ? .input : .inputContinuation)))
        }
    }

    /// Adds output lines (a `text` event may hold several, separated by newlines).
    mutating func append(_ text: String, kind: TranscriptLineKind) {
        for line in TranscriptEntry.split(text) { append(TranscriptLine(line, kind: kind)) }
    }

    mutating func append(_ line: TranscriptLine) {
        stamp = Stamp.next()
        let half = cap / 2
        if dropped == 0 && tail.isEmpty && headOutputs < half {
            head.append(line)
            headOutputs += 1
            return
        }
        tail.append(line)
        if tail.count - tailStart > cap - half {
            tailStart += 1
            dropped += 1
            if tailStart >= 1024 { tail.removeFirst(tailStart); tailStart = 0 }
        }
    }

    /// Lines in order, the elision note included.
    public var lineCount: Int { head.count + (dropped > 0 ? 1 : 0) + tail.count - tailStart }

    public func line(_ i: Int) -> TranscriptLine {
        if i < head.count { return head[i] }
        var j = i - head.count
        if dropped > 0 {
            if j == 0 { return TranscriptLine("… \(dropped) lines not kept (the first \(headOutputs) and the last \(tail.count - tailStart) are shown) …", kind: .elision) }
            j -= 1
        }
        return tail[tailStart + j]
    }

    public var lines: [TranscriptLine] { (0..<lineCount).map(line) }

    /// Splits text at line ends ("\n" or "\r\n"; a single trailing newline ends the last line).
    static func split(_ text: String) -> [String] {
        var parts = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).map(String.init)
        if parts.count > 1 && parts.last == "" { parts.removeLast() }
        return parts
    }

    mutating func touch() { stamp = Stamp.next() }
}

/// Numbers unique within the process, so two copies of a state that went different ways never share a
/// cache entry.
enum Stamp {
    private static let counter = Locked(0)
    static func next() -> Int {
        counter.withLock { value in
            value += 1
            return value
        }
    }
}
