import MaplLang

/// A program file's text as `mapl run` reads it, for a front end that does not import the language.
extension SourceCells {
    /// The program file at `path`, read as `mapl run` reads it; its errors name the file and say why
    /// (`SourceFile.read`).
    public static func read(_ path: String) throws -> String { try SourceFile.read(path) }
}
