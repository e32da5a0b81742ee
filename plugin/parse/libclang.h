/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CCGATE_LIBCLANG_H
#define CCGATE_LIBCLANG_H

/*
 * libclang, loaded on first use.  Loading libclang and libLLVM costs about
 * 17 ms of relocations and static constructors per process, ten times what
 * the rest of ccgate needs to decide that a file holds no trigger token.  In
 * the kbuild slot, which runs once per compiled file, that is most of the
 * cost, so ccgate links without libclang and dlopen()s it only when a file
 * must be parsed.
 *
 * Callers use the C API unchanged: each function used is listed once below
 * and its name becomes a call through the loaded table.  Call
 * libclang_load() before the first clang_*() call; it dies with one line if
 * the library cannot be loaded.  The build checks both lists: a function
 * used without its #define below fails to link (ccgate does not link
 * libclang), and a #define without its X() entry fails to compile.
 */
#include <clang-c/Index.h>

#define CCG_LIBCLANG_FUNCS(X) \
	X(clang_Cursor_getStorageClass) \
	X(clang_Cursor_isMacroFunctionLike) \
	X(clang_createIndex) \
	X(clang_disposeDiagnostic) \
	X(clang_disposeSourceRangeList) \
	X(clang_disposeIndex) \
	X(clang_disposeString) \
	X(clang_disposeTokens) \
	X(clang_disposeTranslationUnit) \
	X(clang_formatDiagnostic) \
	X(clang_getCString) \
	X(clang_getCursorExtent) \
	X(clang_getCursorKind) \
	X(clang_getCursorLocation) \
	X(clang_getCursorSpelling) \
	X(clang_getDiagnostic) \
	X(clang_getDiagnosticLocation) \
	X(clang_getDiagnosticSeverity) \
	X(clang_getDiagnosticSpelling) \
	X(clang_getExpansionLocation) \
	X(clang_getFile) \
	X(clang_getFileContents) \
	X(clang_getFileName) \
	X(clang_getNumDiagnostics) \
	X(clang_getRangeEnd) \
	X(clang_getRangeStart) \
	X(clang_getSkippedRanges) \
	X(clang_getSpellingLocation) \
	X(clang_getTokenKind) \
	X(clang_getTokenLocation) \
	X(clang_getTokenSpelling) \
	X(clang_getTranslationUnitCursor) \
	X(clang_getTranslationUnitSpelling) \
	X(clang_isCursorDefinition) \
	X(clang_parseTranslationUnit2) \
	X(clang_tokenize) \
	X(clang_visitChildren)

struct ccg_libclang {
#define CCG_LIBCLANG_PTR(fn) __typeof__(fn) *fn;
	CCG_LIBCLANG_FUNCS(CCG_LIBCLANG_PTR)
#undef CCG_LIBCLANG_PTR
};

extern struct ccg_libclang ccg_libclang;

/* Load libclang once per process; dies with one line on failure. */
void libclang_load(void);

#ifndef CCG_LIBCLANG_IMPL
#define clang_Cursor_getStorageClass ccg_libclang.clang_Cursor_getStorageClass
#define clang_Cursor_isMacroFunctionLike ccg_libclang.clang_Cursor_isMacroFunctionLike
#define clang_createIndex ccg_libclang.clang_createIndex
#define clang_disposeDiagnostic ccg_libclang.clang_disposeDiagnostic
#define clang_disposeSourceRangeList ccg_libclang.clang_disposeSourceRangeList
#define clang_disposeIndex ccg_libclang.clang_disposeIndex
#define clang_disposeString ccg_libclang.clang_disposeString
#define clang_disposeTokens ccg_libclang.clang_disposeTokens
#define clang_disposeTranslationUnit ccg_libclang.clang_disposeTranslationUnit
#define clang_formatDiagnostic ccg_libclang.clang_formatDiagnostic
#define clang_getCString ccg_libclang.clang_getCString
#define clang_getCursorExtent ccg_libclang.clang_getCursorExtent
#define clang_getCursorKind ccg_libclang.clang_getCursorKind
#define clang_getCursorLocation ccg_libclang.clang_getCursorLocation
#define clang_getCursorSpelling ccg_libclang.clang_getCursorSpelling
#define clang_getDiagnostic ccg_libclang.clang_getDiagnostic
#define clang_getDiagnosticLocation ccg_libclang.clang_getDiagnosticLocation
#define clang_getDiagnosticSeverity ccg_libclang.clang_getDiagnosticSeverity
#define clang_getDiagnosticSpelling ccg_libclang.clang_getDiagnosticSpelling
#define clang_getExpansionLocation ccg_libclang.clang_getExpansionLocation
#define clang_getFile ccg_libclang.clang_getFile
#define clang_getFileContents ccg_libclang.clang_getFileContents
#define clang_getFileName ccg_libclang.clang_getFileName
#define clang_getNumDiagnostics ccg_libclang.clang_getNumDiagnostics
#define clang_getRangeEnd ccg_libclang.clang_getRangeEnd
#define clang_getRangeStart ccg_libclang.clang_getRangeStart
#define clang_getSkippedRanges ccg_libclang.clang_getSkippedRanges
#define clang_getSpellingLocation ccg_libclang.clang_getSpellingLocation
#define clang_getTokenKind ccg_libclang.clang_getTokenKind
#define clang_getTokenLocation ccg_libclang.clang_getTokenLocation
#define clang_getTokenSpelling ccg_libclang.clang_getTokenSpelling
#define clang_getTranslationUnitCursor ccg_libclang.clang_getTranslationUnitCursor
#define clang_getTranslationUnitSpelling ccg_libclang.clang_getTranslationUnitSpelling
#define clang_isCursorDefinition ccg_libclang.clang_isCursorDefinition
#define clang_parseTranslationUnit2 ccg_libclang.clang_parseTranslationUnit2
#define clang_tokenize ccg_libclang.clang_tokenize
#define clang_visitChildren ccg_libclang.clang_visitChildren
#endif

#endif
