# Toolchain file for wasm32-wasi with Debian's clang-19 and wasi-libc.
# The sysroot is a folder of two symlinks into /usr/{include,lib}/wasm32-wasi: using /usr
# itself would also put the host's libc++ and glibc headers on the path.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR wasm32)
set(WASI TRUE)
set(WASI_SYSROOT "${CMAKE_CURRENT_LIST_DIR}/../build/wasi-sysroot")
foreach(sub include lib)
  if(NOT EXISTS "${WASI_SYSROOT}/${sub}/wasm32-wasi")
    file(MAKE_DIRECTORY "${WASI_SYSROOT}/${sub}")
    file(CREATE_LINK "/usr/${sub}/wasm32-wasi" "${WASI_SYSROOT}/${sub}/wasm32-wasi" SYMBOLIC)
  endif()
endforeach()
set(CMAKE_SYSROOT "${WASI_SYSROOT}")
set(CMAKE_C_COMPILER clang-19)
set(CMAKE_CXX_COMPILER clang++-19)
set(CMAKE_C_COMPILER_TARGET wasm32-wasi)
set(CMAKE_CXX_COMPILER_TARGET wasm32-wasi)
find_program(CMAKE_AR llvm-ar-19 REQUIRED)
find_program(CMAKE_RANLIB llvm-ranlib-19 REQUIRED)
set(CMAKE_EXECUTABLE_SUFFIX_C .wasm)
set(CMAKE_EXECUTABLE_SUFFIX_CXX .wasm)
# No C++ exceptions with Debian's wasm32 libc++abi; flags given on the command line with
# -DCMAKE_CXX_FLAGS replace this, so CMakeLists.txt adds -fno-exceptions again for the core.
set(CMAKE_CXX_FLAGS_INIT "-fno-exceptions")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
