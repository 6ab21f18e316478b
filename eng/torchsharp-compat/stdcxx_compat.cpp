// Part of the TorchSharp compatibility step (apply.py beside it).
// std::ios_base_library_init (GCC 13, GLIBCXX_3.4.32) for a libstdc++ that predates it: it only makes sure the
// standard streams are constructed, which a static std::ios_base::Init does.
#include <ios>
namespace std {
void ios_base_library_init() { static ios_base::Init init; }
}
