//! The shape of the stable codes the API and the shell answer with.

/// An enum of codes spelled on the wire in kebab-case, with [`as_str`](#method.as_str),
/// `Display` and `ALL`; the last variant, after `..`, reads any code this build does not know
/// (a newer server's, a newer shell's), so an old client never fails to read an error.
///
/// Each spelling is taken as a token tree, not a `literal` fragment: a captured fragment reaches
/// derive macros as an opaque group, and utoipa's then ignores the `serde(rename)` it sits in
/// (the served OpenAPI document listed the Rust names; the API fuzzer caught it).
macro_rules! wire_codes {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $($(#[$vmeta:meta])* $variant:ident = $wire:tt,)*
            .. $(#[$umeta:meta])* $unknown:ident = $uwire:tt $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        $vis enum $name {
            $($(#[$vmeta])* #[serde(rename = $wire)] $variant,)*
            $(#[$umeta])* #[serde(rename = $uwire, other)] $unknown,
        }

        impl $name {
            /// Every code, the unknown one last.
            pub const ALL: &'static [$name] = &[$($name::$variant,)* $name::$unknown];

            /// The code as it is spelled on the wire.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $wire,)*
                    $name::$unknown => $uwire,
                }
            }

            /// The code spelled `wire` (the unknown one for a spelling this build does not know).
            pub fn from_wire(wire: &str) -> Self {
                Self::ALL.iter().copied().find(|code| code.as_str() == wire).unwrap_or($name::$unknown)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
