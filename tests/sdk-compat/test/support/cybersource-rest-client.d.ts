/**
 * The part of `cybersource-rest-client` 0.0.83 these tests use. The SDK ships JavaScript without
 * type declarations (a UMD `module.exports` object of API classes and models), so this is a
 * minimal local description of it, written from its `src/ApiClient.js`, `src/api/*.js` and
 * `docs/*.md`. Response models are the SDK's deserialised classes; only the members the tests read
 * are listed.
 */
declare module "cybersource-rest-client" {
  namespace cybersource {
    /** The merchant configuration object (the SDK samples' `Data/Configuration.js`). */
    interface MerchantConfig {
      readonly authenticationType: "http_signature" | "jwt"
      /** For `jwt`: sign the token with the shared secret (HS256) instead of a P12 certificate. */
      readonly jwtKeyType?: "SHARED_SECRET"
      /** The host the SDK signs (`host` header and signing string): `apitest.cybersource.com`. */
      readonly runEnvironment: string
      readonly merchantID: string
      readonly merchantKeyId: string
      /** Base64 shared secret. */
      readonly merchantsecretKey: string
      /** Where requests actually go; `http://…` is used as is, anything else gets `https://`. */
      readonly intermediateHost?: string
      readonly logConfiguration: { readonly enableLog: boolean }
      readonly defaultHeaders?: Readonly<Record<string, string>>
    }

    /** The third callback argument: the HTTP exchange as the SDK reports it. */
    interface HttpResponse {
      readonly status: number
      /** Response headers, names lowercase. */
      readonly header: Readonly<Record<string, string | undefined>>
      /** The response body re-serialised as JSON text. */
      readonly text: string
    }

    /** Node-style callback every API method takes last. */
    type Callback<T> = (error: unknown, data: T, response: HttpResponse) => void

    /** An amount as CyberSource writes it: decimal text. */
    interface AmountDetails {
      readonly totalAmount?: string
      readonly authorizedAmount?: string
      readonly currency?: string
    }

    interface Link {
      readonly href?: string
      readonly method?: string
    }

    /** The PTS 201 answers (payment, capture, reversal, void, refund). */
    interface PtsResponse {
      readonly id?: string
      readonly status?: string
      readonly submitTimeUtc?: string
      readonly reconciliationId?: string
      readonly clientReferenceInformation?: { readonly code?: string }
      readonly errorInformation?: { readonly reason?: string; readonly message?: string }
      readonly orderInformation?: { readonly amountDetails?: AmountDetails }
      readonly processorInformation?: { readonly approvalCode?: string; readonly responseCode?: string }
      readonly tokenInformation?: {
        readonly customer?: { readonly id?: string }
        readonly paymentInstrument?: { readonly id?: string }
        readonly instrumentIdentifier?: { readonly id?: string; readonly state?: string }
      }
      readonly reversalAmountDetails?: { readonly reversedAmount?: string; readonly currency?: string }
      readonly voidAmountDetails?: { readonly voidAmount?: string; readonly currency?: string }
      readonly refundAmountDetails?: { readonly refundAmount?: string; readonly currency?: string }
      readonly _links?: Readonly<Record<string, Link | undefined>>
    }

    /** `GET /tss/v2/transactions/{id}`. */
    interface TransactionDetails {
      readonly id?: string
      readonly clientReferenceInformation?: { readonly code?: string }
      readonly orderInformation?: { readonly amountDetails?: AmountDetails }
      readonly applicationInformation?: {
        readonly status?: string
        readonly reasonCode?: string
        readonly applications?: ReadonlyArray<{ readonly name?: string; readonly reasonCode?: string }>
      }
    }

    /** `POST /tss/v2/searches`. */
    interface SearchResponse {
      readonly searchId?: string
      readonly count?: number
      readonly totalCount?: number
      readonly _embedded?: {
        readonly transactionSummaries?: ReadonlyArray<{
          readonly id?: string
          readonly clientReferenceInformation?: { readonly code?: string }
        }>
      }
    }

    /** A TMS customer. */
    interface Customer {
      readonly id?: string
      readonly buyerInformation?: { readonly merchantCustomerID?: string; readonly email?: string }
      readonly clientReferenceInformation?: { readonly code?: string }
      readonly _links?: Readonly<Record<string, Link | undefined>>
    }

    /** A TMS payment instrument. */
    interface PaymentInstrument {
      readonly id?: string
      readonly object?: string
      readonly state?: string
      readonly default?: boolean
      readonly card?: { readonly expirationMonth?: string; readonly expirationYear?: string; readonly type?: string }
      readonly instrumentIdentifier?: { readonly id?: string }
      readonly billTo?: { readonly firstName?: string; readonly lastName?: string }
      readonly _links?: Readonly<Record<string, Link | undefined>>
    }

    /** A page of payment instruments. */
    interface PaymentInstrumentList {
      readonly offset?: number
      readonly limit?: number
      readonly count?: number
      readonly total?: number
      readonly _links?: Readonly<Record<string, Link | undefined>>
      readonly _embedded?: { readonly paymentInstruments?: ReadonlyArray<PaymentInstrument> }
    }

    /** A TMS instrument identifier. */
    interface InstrumentIdentifier {
      readonly id?: string
      readonly object?: string
      readonly state?: string
      readonly card?: { readonly number?: string }
    }

    /** Optional TMS parameters. */
    interface TmsOptions {
      readonly profileId?: string
      readonly ifMatch?: string
      readonly offset?: number
      readonly limit?: number
    }

    /** Request bodies are plain JSON objects (the SDK also accepts its model classes). */
    type Body = Readonly<Record<string, unknown>>

    class ApiClient {}

    class PaymentsApi {
      constructor(config: MerchantConfig, apiClient?: ApiClient)
      createPayment(request: Body, callback: Callback<PtsResponse>): void
    }
    class CaptureApi {
      constructor(config: MerchantConfig, apiClient?: ApiClient)
      capturePayment(request: Body, id: string, callback: Callback<PtsResponse>): void
    }
    class ReversalApi {
      constructor(config: MerchantConfig, apiClient?: ApiClient)
      authReversal(id: string, request: Body, callback: Callback<PtsResponse>): void
    }
    class VoidApi {
      constructor(config: MerchantConfig, apiClient?: ApiClient)
      voidPayment(request: Body, id: string, callback: Callback<PtsResponse>): void
      voidCapture(request: Body, id: string, callback: Callback<PtsResponse>): void
      voidRefund(request: Body, id: string, callback: Callback<PtsResponse>): void
    }
    class RefundApi {
      constructor(config: MerchantConfig, apiClient?: ApiClient)
      refundPayment(request: Body, id: string, callback: Callback<PtsResponse>): void
      refundCapture(request: Body, id: string, callback: Callback<PtsResponse>): void
    }
    class TransactionDetailsApi {
      constructor(config: MerchantConfig, apiClient?: ApiClient)
      getTransaction(id: string, callback: Callback<TransactionDetails>): void
    }
    class SearchTransactionsApi {
      constructor(config: MerchantConfig, apiClient?: ApiClient)
      createSearch(request: Body, callback: Callback<SearchResponse>): void
    }
    class CustomerApi {
      constructor(config: MerchantConfig, apiClient?: ApiClient)
      postCustomer(request: Body, opts: TmsOptions, callback: Callback<Customer>): void
      getCustomer(customerId: string, opts: TmsOptions, callback: Callback<Customer>): void
      patchCustomer(customerId: string, request: Body, opts: TmsOptions, callback: Callback<Customer>): void
      deleteCustomer(customerId: string, opts: TmsOptions, callback: Callback<null>): void
    }
    class CustomerPaymentInstrumentApi {
      constructor(config: MerchantConfig, apiClient?: ApiClient)
      postCustomerPaymentInstrument(
        customerId: string,
        request: Body,
        opts: TmsOptions,
        callback: Callback<PaymentInstrument>
      ): void
      getCustomerPaymentInstrumentsList(
        customerId: string,
        opts: TmsOptions,
        callback: Callback<PaymentInstrumentList>
      ): void
      getCustomerPaymentInstrument(
        customerId: string,
        paymentInstrumentId: string,
        opts: TmsOptions,
        callback: Callback<PaymentInstrument>
      ): void
      patchCustomersPaymentInstrument(
        customerId: string,
        paymentInstrumentId: string,
        request: Body,
        opts: TmsOptions,
        callback: Callback<PaymentInstrument>
      ): void
      deleteCustomerPaymentInstrument(
        customerId: string,
        paymentInstrumentId: string,
        opts: TmsOptions,
        callback: Callback<null>
      ): void
    }
    class InstrumentIdentifierApi {
      constructor(config: MerchantConfig, apiClient?: ApiClient)
      postInstrumentIdentifier(request: Body, opts: TmsOptions, callback: Callback<InstrumentIdentifier>): void
      getInstrumentIdentifier(id: string, opts: TmsOptions, callback: Callback<InstrumentIdentifier>): void
    }
    /** The `/risk/v1` payer-authentication answers (setup, enrollment, validation). */
    interface RiskResponse {
      readonly id?: string
      readonly status?: string
      readonly submitTimeUtc?: string
      readonly clientReferenceInformation?: { readonly code?: string }
      readonly consumerAuthenticationInformation?: Readonly<Record<string, string | undefined>>
      readonly errorInformation?: { readonly reason?: string; readonly message?: string }
    }
    class PayerAuthenticationApi {
      constructor(config: MerchantConfig, apiClient?: ApiClient)
      payerAuthSetup(request: Body, callback: Callback<RiskResponse>): void
      checkPayerAuthEnrollment(request: Body, callback: Callback<RiskResponse>): void
      validateAuthenticationResults(request: Body, callback: Callback<RiskResponse>): void
    }
  }
  export = cybersource
}
