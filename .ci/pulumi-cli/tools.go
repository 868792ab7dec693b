//go:build tools

// Package tools pins the Pulumi CLI's main package so that go.sum records every module it needs.
package tools

import _ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
