//! Which traits the generator understands.

/// Prelude traits the generator implements.
pub const SUPPORTED: &[&str] = &[
    "smithy.api#documentation",
    "smithy.api#required",
    "smithy.api#sensitive",
    "smithy.api#length",
    "smithy.api#range",
    "smithy.api#pattern",
    "smithy.api#uniqueItems",
    "smithy.api#enumValue",
    "smithy.api#sparse",
    "smithy.api#jsonName",
    "smithy.api#timestampFormat",
    "smithy.api#http",
    "smithy.api#httpLabel",
    "smithy.api#httpQuery",
    "smithy.api#httpError",
    "smithy.api#error",
    "smithy.api#idempotencyToken",
    "smithy.api#paginated",
    "smithy.api#readonly",
    "smithy.api#idempotent",
    "smithy.api#input",
    "smithy.api#output",
    "smithy.api#title",
    "smithy.api#default",
    "smithy.api#httpHeader",
    "smithy.api#httpPrefixHeaders",
    "smithy.api#httpPayload",
    "smithy.api#httpResponseCode",
    "smithy.api#httpQueryParams",
    "smithy.api#mediaType",
    "smithy.api#streaming",
    "smithy.api#hostLabel",
    "smithy.api#endpoint",
    "smithy.api#httpChecksumRequired",
    "smithy.api#requestCompression",
];

/// Prelude traits that carry no meaning for the generated code (metadata for
/// other tools, client behaviour, or documentation that has no rustdoc
/// place). They are accepted and ignored.
pub const IGNORED: &[&str] = &[
    "smithy.api#addedDefault",
    "smithy.api#auth",
    "smithy.api#clientOptional",
    "smithy.api#cors",
    "smithy.api#deprecated",
    "smithy.api#examples",
    "smithy.api#externalDocumentation",
    "smithy.api#internal",
    "smithy.api#noReplace",
    "smithy.api#optionalAuth",
    "smithy.api#private",
    "smithy.api#recommended",
    "smithy.api#references",
    "smithy.api#resourceIdentifier",
    "smithy.api#retryable",
    "smithy.api#since",
    "smithy.api#suppress",
    "smithy.api#tags",
    "smithy.api#trait",
    "smithy.api#unstable",
    "smithy.api#protocolDefinition",
    "smithy.api#authDefinition",
    "smithy.api#traitValidators",
    // Event streams: their events are generated as unions of structures;
    // which member is an event header or payload matters only when serving
    // the stream, which the generated server does not (see ARCHITECTURE.md).
    "smithy.api#eventHeader",
    "smithy.api#eventPayload",
    // A client-side promise about streaming uploads.
    "smithy.api#requiresLength",
    // Authentication schemes: the generated server leaves authentication to
    // the code that mounts it.
    "smithy.api#httpApiKeyAuth",
    "smithy.api#httpBasicAuth",
    "smithy.api#httpBearerAuth",
    "smithy.api#httpDigestAuth",
    // Resource metadata.
    "smithy.api#idRef",
    "smithy.api#nestedProperties",
    "smithy.api#notProperty",
    "smithy.api#property",
    // Smithy 1.0 leftovers and mixins (flattened before lowering).
    "smithy.api#box",
    "smithy.api#mixin",
    "smithy.api#unitType",
    "smithy.api#enum",
    // XML serialization, meaningless for JSON protocols.
    "smithy.api#xmlAttribute",
    "smithy.api#xmlFlattened",
    "smithy.api#xmlName",
    "smithy.api#xmlNamespace",
    "smithy.api#specificationExtension",
];

/// Namespaces of well-known traits defined outside the prelude (AWS
/// metadata, endpoint rules, waiters, protocol tests). They are accepted
/// without a definition in the model and ignored by the generator; the
/// protocol traits among them are recorded on the service.
pub const KNOWN_NAMESPACES: &[&str] = &[
    "aws.api",
    "aws.auth",
    "aws.endpoints",
    "aws.apigateway",
    "aws.protocols",
    "aws.cloudformation",
    "aws.customizations",
    "aws.iam",
    "smithy.framework",
    "smithy.mqtt",
    "smithy.openapi",
    "smithy.protocols",
    "smithy.rules",
    "smithy.smoketests",
    "smithy.test",
    "smithy.waiters",
];
