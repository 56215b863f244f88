/**
 * The part of `cybersource-rest-client` 0.0.83 the bench uses (the SDK ships no type
 * declarations); written from its `src/ApiClient.js` and `src/api/*.js`, as in
 * tests/sdk-compat/test/support/cybersource-rest-client.d.ts.
 */
declare module "cybersource-rest-client" {
  namespace cybersource {
    /** The merchant configuration object (the SDK samples' `Data/Configuration.js`). */
    interface MerchantConfig {
      readonly authenticationType: "http_signature"
      readonly runEnvironment: string
      readonly merchantID: string
      readonly merchantKeyId: string
      readonly merchantsecretKey: string
      readonly intermediateHost?: string
      readonly logConfiguration: { readonly enableLog: boolean }
    }
    /** Node-style callback every API method takes last. */
    type Callback<T> = (error: unknown, data: T, response: unknown) => void
    /** Request bodies are plain JSON objects. */
    type Body = Readonly<Record<string, unknown>>
    /** A PTS answer (only `id` is read). */
    interface PtsResponse {
      readonly id?: string
    }
    class ApiClient {}
    class PaymentsApi {
      constructor(config: MerchantConfig, apiClient?: ApiClient)
      createPayment(request: Body, callback: Callback<PtsResponse>): void
    }
    class CaptureApi {
      constructor(config: MerchantConfig, apiClient?: ApiClient)
      capturePayment(request: Body, id: string, callback: Callback<PtsResponse>): void
    }
    class CustomerPaymentInstrumentApi {
      constructor(config: MerchantConfig, apiClient?: ApiClient)
      getCustomerPaymentInstrumentsList(
        customerId: string,
        opts: { readonly offset?: number; readonly limit?: number },
        callback: Callback<unknown>
      ): void
    }
  }
  export = cybersource
}
