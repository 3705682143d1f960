import MaplLang

/// What a front end asks about program text without running it: whether a typed cell is whole, and a
/// program file's text — answered by the language's parser and reader, so no front end needs them.
extension SourceCells {
    /// Whether `source` is a whole cell, or is cut off at its end (an open bracket, a trailing operator) and
    /// the prompt should take another line (`Parser.isComplete`).
    public static func isComplete(_ source: String) -> Bool { Parser.isComplete(source) }

    /// Whether `source` parses as it stands (a cell that does not parse is either cut off — `isComplete` is
    /// false — or invalid).
    public static func parses(_ source: String) -> Bool { (try? Parser.parse(source)) != nil }

    /// The program file at `path`, read as `mapl run` reads it; its errors name the file and say why
    /// (`SourceFile.read`).
    public static func read(_ path: String) throws -> String { try SourceFile.read(path) }
}
