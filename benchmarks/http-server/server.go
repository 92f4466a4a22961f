// Go net/http peer of the HTTP server benchmark (benchmarks/http-server/run.sh): the standard library's
// server with a ServeMux, GOMAXPROCS=1 (the script pins it to one CPU). GET / answers "Hello, World!";
// GET /json encodes the 1 KiB document with encoding/json for every request (decoded once at start-up into
// structs, the idiomatic Go model).
//
// Usage: server PORT PAYLOAD.json
package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"runtime"
	"strconv"
)

type item struct {
	Active bool     `json:"active"`
	ID     int      `json:"id"`
	Name   string   `json:"name"`
	Stock  int      `json:"stock"`
	Tags   []string `json:"tags"`
}

type document struct {
	Count   int    `json:"count"`
	Items   []item `json:"items"`
	Message string `json:"message"`
}

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: server PORT PAYLOAD.json")
		os.Exit(2)
	}
	runtime.GOMAXPROCS(1)
	text, err := os.ReadFile(os.Args[2])
	if err != nil {
		panic(err)
	}
	var doc document
	if err := json.Unmarshal(text, &doc); err != nil {
		panic(err)
	}
	plain := []byte("Hello, World!")
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		h := w.Header()
		h.Set("Content-Type", "text/plain")
		h.Set("Content-Length", strconv.Itoa(len(plain)))
		w.Write(plain)
	})
	mux.HandleFunc("/json", func(w http.ResponseWriter, r *http.Request) {
		body, err := json.Marshal(&doc)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		h := w.Header()
		h.Set("Content-Type", "application/json")
		h.Set("Content-Length", strconv.Itoa(len(body)))
		w.Write(body)
	})
	addr := "127.0.0.1:" + os.Args[1]
	fmt.Println("Go net/http listening on " + addr)
	if err := http.ListenAndServe(addr, mux); err != nil {
		panic(err)
	}
}
