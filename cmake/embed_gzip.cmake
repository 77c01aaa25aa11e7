# cmake -DIN=<file> -DOUT=<header> -DNAME=<identifier> -P embed_gzip.cmake
# Writes `static const unsigned char NAME[] = {...};` holding the gzip-compressed bytes of IN
# (decompressed at run time with zlib, core/util/gunzip.h).
get_filename_component(dir "${OUT}" DIRECTORY)
file(MAKE_DIRECTORY "${dir}")
file(ARCHIVE_CREATE OUTPUT "${OUT}.gz" PATHS "${IN}" FORMAT raw COMPRESSION GZip COMPRESSION_LEVEL 9)
file(READ "${OUT}.gz" hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
file(WRITE "${OUT}.tmp" "// Generated from ${IN} by cmake/embed_gzip.cmake. Do not edit.\nstatic const unsigned char ${NAME}[] = {${bytes}};\n")
file(RENAME "${OUT}.tmp" "${OUT}")
