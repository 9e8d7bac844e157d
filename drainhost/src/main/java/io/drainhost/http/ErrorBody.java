package io.drainhost.http;

/** The JSON body of every error response. */
record ErrorBody(String error, String message) {}
