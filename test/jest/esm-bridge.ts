// Loads Nest's ESM packages once per test file and exposes them to CommonJS dependents (see resolver.cjs).
import 'reflect-metadata';
import * as common from '@nestjs/common';
import * as core from '@nestjs/core';

(globalThis as { __gatehouseEsmBridge?: Record<string, unknown> }).__gatehouseEsmBridge = {
  '@nestjs/common': common,
  '@nestjs/core': core,
};
