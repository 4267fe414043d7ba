// How this project launches Debian's Chromium (tests and bench alike): playwright-core drives the
// system browser, since downloading Playwright's own browser is not possible here.
import { type Browser, chromium } from 'playwright-core';

/** Flags verified to give WebGPU (SwiftShader) headless: docs/architecture.md, "Headless Chromium". */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--use-vulkan=swiftshader',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Chromium as a reader on a machine without a usable GPU runs it: software compositing and
 * raster, no WebGL or WebGPU. `npm run bench` measures the page's frames and main-thread tasks
 * here: under CHROMIUM_ARGS every frame is rasterised through SwiftShader's emulated GL, which
 * costs the GPU process ~250 ms of CPU per frame of charts on 2 cores — the test rig, not the app.
 */
export const SOFTWARE_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launchChromium(args: string[] = CHROMIUM_ARGS): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
    args,
  });
}
