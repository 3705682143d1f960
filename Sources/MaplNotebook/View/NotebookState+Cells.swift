extension NotebookState {
    /// Scrolls the transcript so that cell `number` starts at the top of the view (as last drawn); the
    /// newest output when the cell is within the last screenful. Returns false when there is no such cell.
    @discardableResult
    public mutating func scrollToCell(_ number: Int) -> Bool {
        guard let index = entries.firstIndex(where: { $0.number == number }) else { return false }
        guard let v = cache.lastViewport else { return true }
        let below = entries[index...].reduce(0) {
            $0 + cache.rowCount($1, width: v.width, ascii: v.ascii) + (TranscriptLayout.hasStatusRow($1) ? 1 : 0)
        }
        scrollOffset = 0
        scroll(lines: Swift.max(0, below - Swift.max(v.height - 1, 1)))
        return true
    }
}
