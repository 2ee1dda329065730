//go:build js

package main

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"syscall/js"
)

// jsTransport sends HTTP requests through a host function:
// fetch(method, url, headers: [name, value][], body: Uint8Array|null)
//
//	-> Promise<{status: number, headers: [name, value][], body: Uint8Array}>
type jsTransport struct {
	fetch js.Value
}

type jsReply struct {
	value js.Value
	err   error
}

func (t *jsTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	headers := js.Global().Get("Array").New()
	for name, values := range req.Header {
		for _, v := range values {
			headers.Call("push", js.ValueOf([]any{name, v}))
		}
	}
	body := js.Null()
	if req.Body != nil {
		b, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		body = js.Global().Get("Uint8Array").New(len(b))
		js.CopyBytesToJS(body, b)
	}
	replies := make(chan jsReply, 1)
	onOK := js.FuncOf(func(_ js.Value, a []js.Value) any {
		replies <- jsReply{value: a[0]}
		return nil
	})
	onErr := js.FuncOf(func(_ js.Value, a []js.Value) any {
		replies <- jsReply{err: fmt.Errorf("host fetch %s %s: %s", req.Method, req.URL, a[0].Call("toString").String())}
		return nil
	})
	defer onOK.Release()
	defer onErr.Release()
	t.fetch.Invoke(req.Method, req.URL.String(), headers, body).Call("then", onOK, onErr)
	var reply jsReply
	select {
	case reply = <-replies:
	case <-req.Context().Done():
		return nil, req.Context().Err()
	}
	if reply.err != nil {
		return nil, reply.err
	}
	resp := &http.Response{
		Status:     fmt.Sprintf("%d", reply.value.Get("status").Int()),
		StatusCode: reply.value.Get("status").Int(),
		Proto:      "HTTP/1.1",
		ProtoMajor: 1,
		ProtoMinor: 1,
		Header:     http.Header{},
		Request:    req,
	}
	respHeaders := reply.value.Get("headers")
	for i := 0; i < respHeaders.Length(); i++ {
		pair := respHeaders.Index(i)
		resp.Header.Add(pair.Index(0).String(), pair.Index(1).String())
	}
	jsBody := reply.value.Get("body")
	b := make([]byte, jsBody.Length())
	js.CopyBytesToGo(b, jsBody)
	resp.Body = io.NopCloser(bytes.NewReader(b))
	resp.ContentLength = int64(len(b))
	return resp, nil
}
