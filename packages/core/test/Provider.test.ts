import { assert, describe, it } from "@effect/vitest"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import { Provider } from "@payport/core"

const withEnv = (env: Record<string, string>) =>
  Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env))))

describe("Provider selection from configuration", () => {
  for (const name of Provider.providerNames) {
    it.effect(`PAYPORT_PROVIDER=${name} selects ${name}`, () =>
      Effect.gen(function* () {
        assert.strictEqual(yield* Provider.fromConfig.pipe(withEnv({ PAYPORT_PROVIDER: name })), name)
      })
    )
  }

  it.effect("is case- and space-insensitive", () =>
    Effect.gen(function* () {
      assert.strictEqual(yield* Provider.fromConfig.pipe(withEnv({ PAYPORT_PROVIDER: " CashFree " })), "cashfree")
    })
  )

  it.effect("a missing PAYPORT_PROVIDER is a ConfigurationError naming the variable and the accepted values", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(Provider.fromConfig.pipe(withEnv({})))
      assert.strictEqual(error._tag, "ConfigurationError")
      assert.strictEqual(error.variable, "PAYPORT_PROVIDER")
      assert.strictEqual(error.message, "PAYPORT_PROVIDER: is not set; set it to one of cashfree, cybersource, memory")
    })
  )

  it.effect("an unknown provider is a ConfigurationError naming the value and the accepted values", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(Provider.fromConfig.pipe(withEnv({ PAYPORT_PROVIDER: "stripe" })))
      assert.strictEqual(error.variable, "PAYPORT_PROVIDER")
      assert.strictEqual(
        error.message,
        'PAYPORT_PROVIDER: "stripe" is not a provider; use one of cashfree, cybersource, memory'
      )
    })
  )

  it.effect("an empty value counts as not set", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(Provider.fromConfig.pipe(withEnv({ PAYPORT_PROVIDER: "" })))
      assert.include(error.message, "PAYPORT_PROVIDER")
    })
  )

  it.effect("required settings name the missing variable; secrets stay redacted", () =>
    Effect.gen(function* () {
      const missing = yield* Effect.flip(Provider.string("CASHFREE_CLIENT_ID").pipe(withEnv({})))
      assert.strictEqual(missing.message, "CASHFREE_CLIENT_ID: is not set")
      const secret = yield* Provider.secret("CASHFREE_CLIENT_SECRET").pipe(
        withEnv({ CASHFREE_CLIENT_SECRET: "cfsk_s3cret" })
      )
      assert.strictEqual(String(secret), "<redacted>")
      assert.strictEqual(Redacted.value(secret), "cfsk_s3cret")
      assert.isUndefined(yield* Provider.optional("CASHFREE_BASE_URL").pipe(withEnv({})))
    })
  )

  it.effect("all: every missing or invalid setting is named in one error; none missing gives every value", () =>
    Effect.gen(function* () {
      const settings = {
        id: Provider.string("CASHFREE_CLIENT_ID"),
        secret: Provider.secret("CASHFREE_CLIENT_SECRET"),
        baseUrl: Provider.optional("CASHFREE_BASE_URL")
      }
      const both = yield* Effect.flip(Provider.all(settings).pipe(withEnv({})))
      assert.strictEqual(both.message, "CASHFREE_CLIENT_ID, CASHFREE_CLIENT_SECRET: are not set")
      const one = yield* Effect.flip(Provider.all(settings).pipe(withEnv({ CASHFREE_CLIENT_ID: "id" })))
      assert.strictEqual(one.message, "CASHFREE_CLIENT_SECRET: is not set")
      const mixed = yield* Effect.flip(
        Provider.all({ ...settings, provider: Provider.fromConfig }).pipe(withEnv({ PAYPORT_PROVIDER: "stripe" }))
      )
      assert.strictEqual(mixed.variable, "CASHFREE_CLIENT_ID, CASHFREE_CLIENT_SECRET, PAYPORT_PROVIDER")
      assert.include(mixed.reason, "CASHFREE_CLIENT_ID is not set")
      assert.include(mixed.reason, 'PAYPORT_PROVIDER "stripe" is not a provider')
      const values = yield* Provider.all(settings).pipe(
        withEnv({ CASHFREE_CLIENT_ID: "id", CASHFREE_CLIENT_SECRET: "cfsk_s3cret" })
      )
      assert.strictEqual(values.id, "id")
      assert.strictEqual(Redacted.value(values.secret), "cfsk_s3cret")
      assert.isUndefined(values.baseUrl)
      assert.notInclude(both.message, "cfsk_s3cret")
    })
  )

  it.effect("layerFromConfig builds only the chosen provider's layer", () =>
    Effect.gen(function* () {
      const built: Array<string> = []
      const fake = (name: Provider.ProviderName) =>
        Layer.effectContext(Effect.sync(() => built.push(name)).pipe(Effect.zipRight(Effect.die("not a real layer"))))
      const layer = Provider.layerFromConfig({
        cashfree: fake("cashfree"),
        cybersource: fake("cybersource"),
        memory: fake("memory")
      })
      yield* Effect.exit(Layer.build(layer).pipe(Effect.scoped, withEnv({ PAYPORT_PROVIDER: "memory" })))
      assert.deepStrictEqual(built, ["memory"])
      const error = yield* Effect.flip(Layer.build(layer).pipe(Effect.scoped, withEnv({ PAYPORT_PROVIDER: "paypal" })))
      assert.strictEqual(error._tag, "ConfigurationError")
      const partial = Provider.layerFromConfig({ memory: fake("memory") })
      const unavailable = yield* Effect.flip(
        Layer.build(partial).pipe(Effect.scoped, withEnv({ PAYPORT_PROVIDER: "cashfree" }))
      )
      assert.strictEqual(
        unavailable.message,
        "PAYPORT_PROVIDER: cashfree is not available in this program; use one of memory"
      )
    })
  )
})
