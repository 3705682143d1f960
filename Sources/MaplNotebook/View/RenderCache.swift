import Foundation
import MaplLang

/// What the renderer remembers between frames so a frame costs what is on screen, not what the session
/// produced: each transcript entry's row count at the last width, the last pane picture, and the layout
/// of the last frame (which scrolling by pages needs). Shared by copies of a `NotebookState`; every key
/// carries a stamp that is unique per change (`Stamp`), so copies that went different ways never mix.
final class RenderCache: @unchecked Sendable {
    // @unchecked: every stored property is read and written under `lock`.
    private let lock = NSLock()

    private struct Count { var stamp: Int; var width: Int; var ascii: Bool; var rows: Int }
    private var counts: [Int: Count] = [:]

    struct PaneKey: Equatable {
        var kind: PaneKind; var stamp: Int; var width: Int; var height: Int; var options: RenderOptions; var scroll: Int
    }
    private let pane = LastResult<PaneKey, Picture>()

    /// The transcript viewport of the last frame.
    private var viewport: (width: Int, height: Int, ascii: Bool)?
    /// The pane's height in the last frame.
    private var paneHeight: Int?

    /// Rows of `entry`'s lines (not its progress line) at `width`, computed once per change and width.
    func rowCount(_ entry: TranscriptEntry, width: Int, ascii: Bool) -> Int {
        lock.lock()
        if let c = counts[entry.id], c.stamp == entry.stamp, c.width == width, c.ascii == ascii { lock.unlock(); return c.rows }
        lock.unlock()
        let rows = TranscriptLayout.rowCount(of: entry, width: width, ascii: ascii)
        lock.lock()
        counts[entry.id] = Count(stamp: entry.stamp, width: width, ascii: ascii, rows: rows)
        lock.unlock()
        return rows
    }

    /// Drops the counts of entries no longer in the transcript (after `:clear`).
    func keepOnly(_ ids: Set<Int>) {
        lock.lock()
        defer { lock.unlock() }
        if counts.count > ids.count + 64 { counts = counts.filter { ids.contains($0.key) } }
    }

    func panePicture(_ key: PaneKey, draw: () -> Picture) -> Picture { pane.value(for: key, make: draw) }

    func setViewport(width: Int, height: Int, ascii: Bool) {
        lock.lock()
        viewport = (width, height, ascii)
        lock.unlock()
    }

    var lastViewport: (width: Int, height: Int, ascii: Bool)? {
        lock.lock()
        defer { lock.unlock() }
        return viewport
    }

    var lastPaneHeight: Int? {
        get { lock.lock(); defer { lock.unlock() }; return paneHeight }
        set { lock.lock(); paneHeight = newValue; lock.unlock() }
    }
}
