// libpng (Debian: libpng-dev): PNG files for handouts' pictures and the Jupyter kernel's rich output, through
// its simplified write API (png_image_write_to_memory), which reports errors by return value, not longjmp.
#include <png.h>
// The formats as constants: Swift imports neither these macros (made of other macros) nor PNG_IMAGE_VERSION's type.
static const unsigned int mapl_png_format_gray = PNG_FORMAT_GRAY;
static const unsigned int mapl_png_format_rgb = PNG_FORMAT_RGB;
static const unsigned int mapl_png_image_version = PNG_IMAGE_VERSION;
