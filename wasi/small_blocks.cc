// operator new and delete for the WASI builds: blocks of up to 1 KiB are kept on free lists by
// size class and handed out again without wasi-libc's dlmalloc, which has no per-size cache like
// glibc's tcache and was 8-10 % of a small call (pcs.verify, gate.decide). WASI modules run one
// thread, so the lists need no lock. Each list keeps at most kKeep blocks (about 1 MiB in all at
// worst); the rest go back to free().
#include <malloc.h>

#include <cstddef>
#include <cstdlib>
#include <new>

namespace {

constexpr size_t kStep = 16;      // alignof(max_align_t) on wasm32, the alignment new must give
constexpr size_t kClasses = 65;   // class c serves requests of up to c * kStep bytes
constexpr unsigned kKeep = 32;

struct FreeBlock {
  FreeBlock* next;
};
FreeBlock* heads[kClasses];
unsigned counts[kClasses];

// Every block on list c has at least c * kStep usable bytes. Null when memory is exhausted.
void* take(size_t n) {
  const size_t c = (n + kStep - 1) / kStep;
  if (c < kClasses && heads[c] != nullptr) {
    FreeBlock* b = heads[c];
    heads[c] = b->next;
    --counts[c];
    return b;
  }
  return std::malloc(c < kClasses ? c * kStep : n);
}

void* take_or_abort(size_t n) {
  if (void* p = take(n)) return p;
  std::abort();  // -fno-exceptions: no bad_alloc to throw
}

void give(void* p, size_t c) {
  if (c < kClasses && counts[c] < kKeep) {
    heads[c] = new (p) FreeBlock{heads[c]};
    ++counts[c];
    return;
  }
  std::free(p);
}

}  // namespace

// Every form of new, so that each block a sized delete gets back was made for its class.
void* operator new(size_t n) { return take_or_abort(n); }
void* operator new[](size_t n) { return take_or_abort(n); }
void* operator new(size_t n, const std::nothrow_t&) noexcept { return take(n); }
void* operator new[](size_t n, const std::nothrow_t&) noexcept { return take(n); }
void operator delete(void* p) noexcept {
  if (p != nullptr) give(p, malloc_usable_size(p) / kStep);
}
void operator delete[](void* p) noexcept { operator delete(p); }
// A sized delete gets back the size its new was asked for.
void operator delete(void* p, size_t n) noexcept {
  if (p != nullptr) give(p, (n + kStep - 1) / kStep);
}
void operator delete[](void* p, size_t n) noexcept { operator delete(p, n); }
