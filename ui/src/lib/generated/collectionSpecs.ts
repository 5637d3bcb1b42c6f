// Generated from saite-domain's collection specs by `cargo xtask gen`; never edit.
import type { Collection } from "./Collection";
import type { CollectionSpec } from "./CollectionSpec";

export const COLLECTION_SPECS: Record<Collection, CollectionSpec> = {
  "attachment": {
    "fields": [
      {
        "kind": {
          "collectionField": "ownerCollection",
          "kind": "any-reference"
        },
        "name": "owner",
        "notBefore": null,
        "required": true,
        "searched": false
      },
      {
        "kind": {
          "kind": "collection-name"
        },
        "name": "ownerCollection",
        "notBefore": null,
        "required": true,
        "searched": false
      },
      {
        "kind": {
          "kind": "text"
        },
        "name": "fileName",
        "notBefore": null,
        "required": true,
        "searched": false
      },
      {
        "kind": {
          "kind": "text"
        },
        "name": "mediaType",
        "notBefore": null,
        "required": false,
        "searched": false
      },
      {
        "kind": {
          "kind": "integer",
          "min": 0
        },
        "name": "sizeBytes",
        "notBefore": null,
        "required": true,
        "searched": false
      },
      {
        "kind": {
          "kind": "content-address"
        },
        "name": "sha256",
        "notBefore": null,
        "required": true,
        "searched": false
      },
      {
        "kind": {
          "kind": "long-text"
        },
        "name": "description",
        "notBefore": null,
        "required": false,
        "searched": true
      }
    ],
    "label": "fileName",
    "list": {
      "filters": [
        "owner"
      ],
      "keys": [
        null,
        null,
        null,
        null
      ],
      "screen": null,
      "sorts": [],
      "year": null
    },
    "oneOf": []
  },
  "campaign": {
    "fields": [
      {
        "kind": {
          "kind": "text"
        },
        "name": "name",
        "notBefore": null,
        "required": true,
        "searched": false
      },
      {
        "kind": {
          "kind": "code",
          "list": "campaign-kind"
        },
        "name": "kind",
        "notBefore": null,
        "required": true,
        "searched": false
      },
      {
        "kind": {
          "kind": "date"
        },
        "name": "startsOn",
        "notBefore": null,
        "required": false,
        "searched": false
      },
      {
        "kind": {
          "kind": "date"
        },
        "name": "endsOn",
        "notBefore": "startsOn",
        "required": false,
        "searched": false
      },
      {
        "kind": {
          "kind": "texts"
        },
        "name": "funders",
        "notBefore": null,
        "required": false,
        "searched": true
      },
      {
        "kind": {
          "kind": "long-text"
        },
        "name": "description",
        "notBefore": null,
        "required": false,
        "searched": true
      }
    ],
    "label": "name",
    "list": {
      "filters": [
        "kind"
      ],
      "keys": [
        null,
        null,
        null,
        null
      ],
      "screen": {
        "columns": [
          "name",
          "kind",
          "startsOn"
        ],
        "descending": false,
        "filters": [
          {
            "field": "kind",
            "type": "code"
          }
        ],
        "sort": "name"
      },
      "sorts": [
        "name",
        "startsOn"
      ],
      "year": "startsOn"
    },
    "oneOf": []
  },
  "distribution": {
    "fields": [
      {
        "kind": {
          "collection": "material",
          "kind": "reference"
        },
        "name": "material",
        "notBefore": null,
        "required": true,
        "searched": false
      },
      {
        "kind": {
          "collection": "organisation",
          "kind": "reference"
        },
        "name": "organisation",
        "notBefore": null,
        "required": true,
        "searched": false
      },
      {
        "kind": {
          "collection": "seminar",
          "kind": "reference"
        },
        "name": "seminar",
        "notBefore": null,
        "required": false,
        "searched": false
      },
      {
        "kind": {
          "kind": "integer",
          "min": 1
        },
        "name": "quantity",
        "notBefore": null,
        "required": true,
        "searched": false
      },
      {
        "kind": {
          "kind": "date"
        },
        "name": "date",
        "notBefore": null,
        "required": true,
        "searched": false
      },
      {
        "kind": {
          "kind": "code",
          "list": "distribution-method"
        },
        "name": "method",
        "notBefore": null,
        "required": true,
        "searched": false
      },
      {
        "kind": {
          "kind": "long-text"
        },
        "name": "notes",
        "notBefore": null,
        "required": false,
        "searched": true
      }
    ],
    "label": "date",
    "list": {
      "filters": [
        "material",
        "organisation",
        "seminar",
        "method"
      ],
      "keys": [
        "date",
        "material",
        "organisation",
        null
      ],
      "screen": {
        "columns": [
          "date",
          "material",
          "organisation",
          "quantity"
        ],
        "descending": true,
        "filters": [
          {
            "type": "year"
          },
          {
            "field": "method",
            "type": "code"
          }
        ],
        "sort": "date"
      },
      "sorts": [
        "date"
      ],
      "year": "date"
    },
    "oneOf": []
  },
  "follow-up": {
    "fields": [
      {
        "kind": {
          "kind": "text"
        },
        "name": "title",
        "notBefore": null,
        "required": true,
        "searched": false
      },
      {
        "kind": {
          "collection": "seminar",
          "kind": "reference"
        },
        "name": "seminar",
        "notBefore": null,
        "required": false,
        "searched": false
      },
      {
        "kind": {
          "collection": "organisation",
          "kind": "reference"
        },
        "name": "organisation",
        "notBefore": null,
        "required": false,
        "searched": false
      },
      {
        "kind": {
          "collection": "person",
          "kind": "reference"
        },
        "name": "person",
        "notBefore": null,
        "required": false,
        "searched": false
      },
      {
        "kind": {
          "kind": "text"
        },
        "name": "owner",
        "notBefore": null,
        "required": true,
        "searched": true
      },
      {
        "kind": {
          "kind": "date"
        },
        "name": "dueOn",
        "notBefore": null,
        "required": false,
        "searched": false
      },
      {
        "kind": {
          "kind": "bool"
        },
        "name": "done",
        "notBefore": null,
        "required": false,
        "searched": false
      },
      {
        "kind": {
          "kind": "long-text"
        },
        "name": "notes",
        "notBefore": null,
        "required": false,
        "searched": true
      }
    ],
    "label": "title",
    "list": {
      "filters": [
        "seminar",
        "organisation",
        "person",
        "owner",
        "done"
      ],
      "keys": [
        "dueOn",
        null,
        null,
        null
      ],
      "screen": {
        "columns": [
          "dueOn",
          "title",
          "owner",
          "done"
        ],
        "descending": false,
        "filters": [
          {
            "field": "done",
            "type": "open"
          },
          {
            "field": "owner",
            "type": "mine"
          },
          {
            "type": "year"
          }
        ],
        "sort": "dueOn"
      },
      "sorts": [
        "dueOn"
      ],
      "year": "dueOn"
    },
    "oneOf": [
      "seminar",
      "organisation",
      "person"
    ]
  },
  "material": {
    "fields": [
      {
        "kind": {
          "kind": "text"
        },
        "name": "title",
        "notBefore": null,
        "required": true,
        "searched": false
      },
      {
        "kind": {
          "kind": "code",
          "list": "material-kind"
        },
        "name": "kind",
        "notBefore": null,
        "required": true,
        "searched": false
      },
      {
        "kind": {
          "kind": "long-text"
        },
        "name": "description",
        "notBefore": null,
        "required": false,
        "searched": true
      },
      {
        "kind": {
          "kind": "integer",
          "min": 0
        },
        "name": "stock",
        "notBefore": null,
        "required": false,
        "searched": false
      }
    ],
    "label": "title",
    "list": {
      "filters": [
        "kind"
      ],
      "keys": [
        null,
        null,
        null,
        null
      ],
      "screen": {
        "columns": [
          "title",
          "kind",
          "stock"
        ],
        "descending": false,
        "filters": [
          {
            "field": "kind",
            "type": "code"
          }
        ],
        "sort": "title"
      },
      "sorts": [
        "title",
        "stock"
      ],
      "year": null
    },
    "oneOf": []
  },
  "material-campaign": {
    "fields": [
      {
        "kind": {
          "collection": "material",
          "kind": "reference"
        },
        "name": "material",
        "notBefore": null,
        "required": true,
        "searched": false
      },
      {
        "kind": {
          "collection": "campaign",
          "kind": "reference"
        },
        "name": "campaign",
        "notBefore": null,
        "required": true,
        "searched": false
      }
    ],
    "label": null,
    "list": {
      "filters": [
        "material",
        "campaign"
      ],
      "keys": [
        null,
        null,
        null,
        null
      ],
      "screen": null,
      "sorts": [],
      "year": null
    },
    "oneOf": []
  },
  "material-version": {
    "fields": [
      {
        "kind": {
          "collection": "material",
          "kind": "reference"
        },
        "name": "material",
        "notBefore": null,
        "required": true,
        "searched": false
      },
      {
        "kind": {
          "kind": "code",
          "list": "material-language"
        },
        "name": "language",
        "notBefore": null,
        "required": true,
        "searched": false
      },
      {
        "kind": {
          "kind": "text"
        },
        "name": "title",
        "notBefore": null,
        "required": false,
        "searched": false
      },
      {
        "kind": {
          "collection": "attachment",
          "kind": "reference"
        },
        "name": "attachment",
        "notBefore": null,
        "required": false,
        "searched": false
      }
    ],
    "label": "title",
    "list": {
      "filters": [
        "material",
        "language"
      ],
      "keys": [
        null,
        null,
        null,
        null
      ],
      "screen": null,
      "sorts": [],
      "year": null
    },
    "oneOf": []
  },
  "organisation": {
    "fields": [
      {
        "kind": {
          "kind": "text"
        },
        "name": "name",
        "notBefore": null,
        "required": true,
        "searched": false
      },
      {
        "kind": {
          "kind": "code",
          "list": "organisation-kind"
        },
        "name": "kind",
        "notBefore": null,
        "required": true,
        "searched": false
      },
      {
        "kind": {
          "kind": "code",
          "list": "municipality"
        },
        "name": "municipality",
        "notBefore": null,
        "required": false,
        "searched": true
      },
      {
        "kind": {
          "kind": "text"
        },
        "name": "address",
        "notBefore": null,
        "required": false,
        "searched": true
      },
      {
        "kind": {
          "kind": "phones"
        },
        "name": "phones",
        "notBefore": null,
        "required": false,
        "searched": true
      },
      {
        "kind": {
          "kind": "emails"
        },
        "name": "emails",
        "notBefore": null,
        "required": false,
        "searched": true
      },
      {
        "kind": {
          "kind": "text"
        },
        "name": "website",
        "notBefore": null,
        "required": false,
        "searched": false
      },
      {
        "kind": {
          "kind": "bool"
        },
        "name": "coalitionMember",
        "notBefore": null,
        "required": false,
        "searched": false
      },
      {
        "kind": {
          "kind": "long-text"
        },
        "name": "notes",
        "notBefore": null,
        "required": false,
        "searched": true
      }
    ],
    "label": "name",
    "list": {
      "filters": [
        "municipality",
        "kind",
        "coalitionMember"
      ],
      "keys": [
        "name",
        "kind",
        null,
        null
      ],
      "screen": {
        "columns": [
          "name",
          "kind",
          "municipality"
        ],
        "descending": false,
        "filters": [
          {
            "type": "region"
          },
          {
            "field": "kind",
            "type": "code"
          }
        ],
        "sort": "name"
      },
      "sorts": [
        "name"
      ],
      "year": null
    },
    "oneOf": []
  },
  "person": {
    "fields": [
      {
        "kind": {
          "kind": "text"
        },
        "name": "fullName",
        "notBefore": null,
        "required": true,
        "searched": false
      },
      {
        "kind": {
          "collection": "organisation",
          "kind": "reference"
        },
        "name": "organisation",
        "notBefore": null,
        "required": false,
        "searched": false
      },
      {
        "kind": {
          "kind": "text"
        },
        "name": "position",
        "notBefore": null,
        "required": false,
        "searched": true
      },
      {
        "kind": {
          "kind": "phones"
        },
        "name": "phones",
        "notBefore": null,
        "required": false,
        "searched": true
      },
      {
        "kind": {
          "kind": "emails"
        },
        "name": "emails",
        "notBefore": null,
        "required": false,
        "searched": true
      },
      {
        "kind": {
          "kind": "code",
          "list": "material-language"
        },
        "name": "preferredLanguage",
        "notBefore": null,
        "required": false,
        "searched": false
      },
      {
        "kind": {
          "kind": "code",
          "list": "municipality"
        },
        "name": "municipality",
        "notBefore": null,
        "required": false,
        "searched": false
      },
      {
        "kind": {
          "kind": "date"
        },
        "name": "lastContactedOn",
        "notBefore": null,
        "required": false,
        "searched": false
      },
      {
        "kind": {
          "kind": "code",
          "list": "legal-basis"
        },
        "name": "legalBasis",
        "notBefore": null,
        "required": true,
        "searched": false
      },
      {
        "kind": {
          "kind": "date"
        },
        "name": "basisConfirmedOn",
        "notBefore": null,
        "required": true,
        "searched": false
      },
      {
        "kind": {
          "kind": "long-text"
        },
        "name": "notes",
        "notBefore": null,
        "required": false,
        "searched": true
      }
    ],
    "label": "fullName",
    "list": {
      "filters": [
        "organisation",
        "municipality",
        "preferredLanguage"
      ],
      "keys": [
        "fullName",
        "organisation",
        null,
        null
      ],
      "screen": {
        "columns": [
          "fullName",
          "organisation",
          "position",
          "phones"
        ],
        "descending": false,
        "filters": [
          {
            "field": "preferredLanguage",
            "type": "code"
          }
        ],
        "sort": "fullName"
      },
      "sorts": [
        "fullName"
      ],
      "year": null
    },
    "oneOf": []
  },
  "seminar": {
    "fields": [
      {
        "kind": {
          "kind": "text"
        },
        "name": "title",
        "notBefore": null,
        "required": true,
        "searched": false
      },
      {
        "kind": {
          "kind": "code",
          "list": "event-kind"
        },
        "name": "kind",
        "notBefore": null,
        "required": true,
        "searched": false
      },
      {
        "kind": {
          "kind": "date"
        },
        "name": "date",
        "notBefore": null,
        "required": true,
        "searched": false
      },
      {
        "kind": {
          "kind": "date"
        },
        "name": "endDate",
        "notBefore": "date",
        "required": false,
        "searched": false
      },
      {
        "kind": {
          "kind": "code",
          "list": "municipality"
        },
        "name": "municipality",
        "notBefore": null,
        "required": true,
        "searched": true
      },
      {
        "kind": {
          "kind": "text"
        },
        "name": "venue",
        "notBefore": null,
        "required": false,
        "searched": true
      },
      {
        "kind": {
          "kind": "text"
        },
        "name": "organiser",
        "notBefore": null,
        "required": false,
        "searched": true
      },
      {
        "kind": {
          "collection": "campaign",
          "kind": "reference"
        },
        "name": "campaign",
        "notBefore": null,
        "required": false,
        "searched": false
      },
      {
        "kind": {
          "kind": "texts"
        },
        "name": "topics",
        "notBefore": null,
        "required": false,
        "searched": true
      },
      {
        "kind": {
          "kind": "counts",
          "list": "target-group"
        },
        "name": "participants",
        "notBefore": null,
        "required": false,
        "searched": false
      },
      {
        "kind": {
          "kind": "long-text"
        },
        "name": "notes",
        "notBefore": null,
        "required": false,
        "searched": true
      }
    ],
    "label": "title",
    "list": {
      "filters": [
        "municipality",
        "kind",
        "campaign"
      ],
      "keys": [
        "date",
        "municipality",
        "campaign",
        "kind"
      ],
      "screen": {
        "columns": [
          "date",
          "title",
          "municipality",
          "kind"
        ],
        "descending": true,
        "filters": [
          {
            "type": "region"
          },
          {
            "field": "municipality",
            "type": "code"
          },
          {
            "type": "year"
          },
          {
            "field": "kind",
            "type": "code"
          }
        ],
        "sort": "date"
      },
      "sorts": [
        "date",
        "title"
      ],
      "year": "date"
    },
    "oneOf": []
  },
  "seminar-organisation": {
    "fields": [
      {
        "kind": {
          "collection": "seminar",
          "kind": "reference"
        },
        "name": "seminar",
        "notBefore": null,
        "required": true,
        "searched": false
      },
      {
        "kind": {
          "collection": "organisation",
          "kind": "reference"
        },
        "name": "organisation",
        "notBefore": null,
        "required": true,
        "searched": false
      }
    ],
    "label": null,
    "list": {
      "filters": [
        "seminar",
        "organisation"
      ],
      "keys": [
        null,
        null,
        null,
        null
      ],
      "screen": null,
      "sorts": [],
      "year": null
    },
    "oneOf": []
  },
  "seminar-person": {
    "fields": [
      {
        "kind": {
          "collection": "seminar",
          "kind": "reference"
        },
        "name": "seminar",
        "notBefore": null,
        "required": true,
        "searched": false
      },
      {
        "kind": {
          "collection": "person",
          "kind": "reference"
        },
        "name": "person",
        "notBefore": null,
        "required": true,
        "searched": false
      },
      {
        "kind": {
          "kind": "code",
          "list": "seminar-role"
        },
        "name": "role",
        "notBefore": null,
        "required": true,
        "searched": false
      }
    ],
    "label": null,
    "list": {
      "filters": [
        "seminar",
        "person"
      ],
      "keys": [
        null,
        null,
        null,
        null
      ],
      "screen": null,
      "sorts": [],
      "year": null
    },
    "oneOf": []
  }
};
