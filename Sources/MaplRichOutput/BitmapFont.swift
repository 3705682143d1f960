/// A 3×5 pixel font for the few words a PNG carries (a label, a prediction, probabilities, a heatmap's
/// range): digits, capitals (lower case is drawn in capitals), and the signs numbers use. Labels and
/// probabilities belong in the picture because `image/png` is what every Jupyter front end shows (JupyterLab,
/// VS Code, nbconvert's HTML), and a digit's label should travel with it; a real font would need a font
/// library and files for some twenty glyphs. A character it lacks is drawn as `?`.
enum BitmapFont {
    static let width = 3, height = 5

    /// Each glyph's rows, top first, `#` for ink.
    private static let glyphs: [Character: [String]] = [
        "0": ["###", "#.#", "#.#", "#.#", "###"], "1": [".#.", "##.", ".#.", ".#.", "###"],
        "2": ["###", "..#", "###", "#..", "###"], "3": ["###", "..#", ".##", "..#", "###"],
        "4": ["#.#", "#.#", "###", "..#", "..#"], "5": ["###", "#..", "###", "..#", "###"],
        "6": ["###", "#..", "###", "#.#", "###"], "7": ["###", "..#", "..#", ".#.", ".#."],
        "8": ["###", "#.#", "###", "#.#", "###"], "9": ["###", "#.#", "###", "..#", "###"],
        "A": [".#.", "#.#", "###", "#.#", "#.#"], "B": ["##.", "#.#", "##.", "#.#", "##."],
        "C": [".##", "#..", "#..", "#..", ".##"], "D": ["##.", "#.#", "#.#", "#.#", "##."],
        "E": ["###", "#..", "##.", "#..", "###"], "F": ["###", "#..", "##.", "#..", "#.."],
        "G": [".##", "#..", "#.#", "#.#", ".##"], "H": ["#.#", "#.#", "###", "#.#", "#.#"],
        "I": ["###", ".#.", ".#.", ".#.", "###"], "J": ["..#", "..#", "..#", "#.#", ".#."],
        "K": ["#.#", "#.#", "##.", "#.#", "#.#"], "L": ["#..", "#..", "#..", "#..", "###"],
        "M": ["#.#", "###", "###", "#.#", "#.#"], "N": ["##.", "#.#", "#.#", "#.#", "#.#"],
        "O": [".#.", "#.#", "#.#", "#.#", ".#."], "P": ["##.", "#.#", "##.", "#..", "#.."],
        "Q": [".#.", "#.#", "#.#", "##.", ".##"], "R": ["##.", "#.#", "##.", "#.#", "#.#"],
        "S": [".##", "#..", ".#.", "..#", "##."], "T": ["###", ".#.", ".#.", ".#.", ".#."],
        "U": ["#.#", "#.#", "#.#", "#.#", "###"], "V": ["#.#", "#.#", "#.#", "#.#", ".#."],
        "W": ["#.#", "#.#", "###", "###", "#.#"], "X": ["#.#", "#.#", ".#.", "#.#", "#.#"],
        "Y": ["#.#", "#.#", ".#.", ".#.", ".#."], "Z": ["###", "..#", ".#.", "#..", "###"],
        " ": ["...", "...", "...", "...", "..."], ".": ["...", "...", "...", "...", ".#."],
        ",": ["...", "...", "...", ".#.", "#.."], "-": ["...", "...", "###", "...", "..."],
        "+": ["...", ".#.", "###", ".#.", "..."], "=": ["...", "###", "...", "###", "..."],
        "%": ["#.#", "..#", ".#.", "#..", "#.#"], ":": ["...", ".#.", "...", ".#.", "..."],
        "/": ["..#", "..#", ".#.", "#..", "#.."], "?": ["##.", "..#", ".#.", "...", ".#."],
        "(": [".#.", "#..", "#..", "#..", ".#."], ")": [".#.", "..#", "..#", "..#", ".#."],
        "[": ["##.", "#..", "#..", "#..", "##."], "]": [".##", "..#", "..#", "..#", ".##"],
        ">": ["#..", ".#.", "..#", ".#.", "#.."], "<": ["..#", ".#.", "#..", ".#.", "..#"],
        "_": ["...", "...", "...", "...", "###"], "×": ["...", "#.#", ".#.", "#.#", "..."],
    ]

    /// Whether the pixel at (`x`, `y`) of `ch`'s glyph is ink.
    static func ink(_ ch: Character, x: Int, y: Int) -> Bool {
        let rows = glyph(ch)
        guard y >= 0, y < rows.count, x >= 0, x < width else { return false }
        return Array(rows[y])[x] == "#"
    }

    /// The glyph of `ch` in capitals; `?` for a character without one (`ß` capitalises to two letters).
    static func glyph(_ ch: Character) -> [String] {
        let upper = ch.uppercased()
        return (upper.count == 1 ? glyphs[Character(upper)] : nil) ?? glyphs["?"] ?? []
    }

    /// The width in pixels of `text` at `scale` (one pixel of space after each glyph, scaled).
    static func width(of text: String, scale: Int) -> Int { text.count * (width + 1) * scale }
}
