import ArgumentParser
import Foundation
import MaplLang

/// The flags every subcommand that draws takes (`mapl`, `run`, `replay`, `journal`), spelled and explained once.
struct DrawingOptions: ParsableArguments {
    @Flag(help: "Draw every picture, plot and border in plain ASCII (for terminals or fonts without braille and blocks).")
    var ascii = false

    /// How text output draws grey images: an ASCII ramp with `--ascii` or when standard output is not a
    /// terminal (a file, a pipe), else half blocks.
    var textStyle: GreyStyle { ascii || isatty(STDOUT_FILENO) == 0 ? .ascii : .halfBlocks }
}
