# cmake -DIN=<file> -DOUT=<file.gz> -P gzip_file.cmake
# gzip -9n: no name or time stamp in the header, so OUT's bytes depend on IN's only.
get_filename_component(dir "${OUT}" DIRECTORY)
file(MAKE_DIRECTORY "${dir}")
execute_process(COMMAND gzip -9nc "${IN}" OUTPUT_FILE "${OUT}.tmp" RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "gzip ${IN}: ${rc}")
endif()
file(RENAME "${OUT}.tmp" "${OUT}")
