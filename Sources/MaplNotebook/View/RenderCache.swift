import Foundation
import MaplCore
import MaplRender

/// What the renderer remembers between frames so a frame costs what is on screen, not what the session
/// produced: each transcript entry's row count at the last width, the last pane picture, and the layout
/// of the last frame (which scrolling by pages needs). Shared by copies of a `NotebookState`; every key
/// carries a stamp that is unique per change (`Stamp`), so copies that went different ways never mix.
final class RenderCache: Sendable {
    private struct Count { var stamp: Int; var width: Int; var ascii: Bool; var rows: Int }
    private struct Remembered {
        var counts: [Int: Count] = [:]
        /// The transcript viewport of the last frame.
        var viewport: (width: Int, height: Int, ascii: Bool)?
        /// The pane's height in the last frame.
        var paneHeight: Int?
    }
    private let remembered = Locked(Remembered())

    struct PaneKey: Equatable {
        var kind: PaneKind; var stamp: Int; var width: Int; var height: Int; var options: RenderOptions; var scroll: Int
    }
    private let pane = LastResult<PaneKey, Picture>()

    /// Rows of `entry`'s lines (not its progress line) at `width`, computed once per change and width.
    func rowCount(_ entry: TranscriptEntry, width: Int, ascii: Bool) -> Int {
        let known = remembered.withLock { r -> Int? in
            guard let c = r.counts[entry.id], c.stamp == entry.stamp, c.width == width, c.ascii == ascii else { return nil }
            return c.rows
        }
        if let known { return known }
        let rows = TranscriptLayout.rowCount(of: entry, width: width, ascii: ascii)
        remembered.withLock { $0.counts[entry.id] = Count(stamp: entry.stamp, width: width, ascii: ascii, rows: rows) }
        return rows
    }

    /// Drops the counts of entries no longer in the transcript (after `:clear`).
    func keepOnly(_ ids: Set<Int>) {
        remembered.withLock { r in
            if r.counts.count > ids.count + 64 { r.counts = r.counts.filter { ids.contains($0.key) } }
        }
    }

    func panePicture(_ key: PaneKey, draw: () -> Picture) -> Picture { pane.value(for: key, make: draw) }

    func setViewport(width: Int, height: Int, ascii: Bool) {
        remembered.withLock { $0.viewport = (width, height, ascii) }
    }

    var lastViewport: (width: Int, height: Int, ascii: Bool)? {
        remembered.withLock { $0.viewport }
    }

    var lastPaneHeight: Int? {
        get { remembered.withLock { $0.paneHeight } }
        set { remembered.withLock { $0.paneHeight = newValue } }
    }
}
