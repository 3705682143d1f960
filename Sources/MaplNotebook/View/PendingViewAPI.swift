// Stand-ins until the notebook view lands (removed then).
extension NotebookState {
    mutating func scroll(byPages pages: Int, height: Int) { scrollOffset = max(0, scrollOffset + pages * max(1, height - 4)) }
    mutating func clearTranscript() {}
}
