/// The terminal notebook. (Filled in by the notebook issue.)
import MaplLang
